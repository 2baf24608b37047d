// Organisation pickers (templates/_org_picker.html): a search field becomes a combobox
// (WAI-ARIA 1.2 combobox with a listbox popup) over /api/v1/organisations/lookup.
// Arrow keys move through the matches, Enter chooses, Escape closes the list (and clears
// the field when it is already closed); a live region says how many were found. The chosen
// organisation's id goes to the hidden id field; typing again forgets it. Without this
// script the field is sent as typed and the server shows the matches to choose from.
(() => {
  let serial = 0;

  function setUp(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    const input = box.querySelector("input[type=search]");
    const hidden = box.querySelector(`input[type=hidden][name="${box.dataset.idField}"]`);
    if (!input || !hidden) return; // choices shown by the server: plain radios
    serial += 1;
    const listId = `org-list-${serial}`;
    const list = document.createElement("ul");
    list.id = listId;
    list.className = "org-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.querySelector("label").textContent);
    list.hidden = true;
    const live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    const combo = document.createElement("span");
    combo.className = "org-combo";
    input.before(combo);
    combo.append(input, list);
    box.append(live);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    let items = [];
    let active = -1;
    let timer = null;
    let pending = null;

    const name = (org) => (box.dataset.lang === "kk" && org.name_kk) || org.name_ru;
    // top-level regions named in the page's language (registry.names); others as the API names them
    const regionNames = JSON.parse(box.dataset.regionNames || "{}");
    const regionName = (region) => regionNames[region.kato]
      || (box.dataset.lang === "kk" && region.name_kk) || region.name_ru;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      const org = items[index];
      if (!org) return;
      input.value = org.bin ? `${name(org)} · ${org.bin}` : name(org);
      hidden.value = String(org.id);
      close();
      live.textContent = input.value;
    }

    function announce(count) {
      const text = count === 0 ? box.dataset.textNone
        : count === 1 ? box.dataset.textOne
        : box.dataset.textMany.replace("{n}", String(count));
      live.textContent = text;
    }

    function show(found) {
      items = found;
      list.replaceChildren();
      found.forEach((org, i) => {
        const option = document.createElement("li");
        option.id = `${listId}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.orgId = String(org.id);
        const title = document.createElement("span");
        title.className = "org-name";
        title.textContent = name(org);
        const facts = document.createElement("small");
        const parts = [];
        if (org.bin) parts.push(`${box.dataset.textBin} ${org.bin}`);
        if (org.region) parts.push(regionName(org.region));
        if (org.matched === "product" && org.product) parts.push(`${box.dataset.textProduct}: ${org.product}`);
        facts.textContent = parts.join(" · ");
        option.append(title, " ", facts);
        option.addEventListener("mousedown", (event) => {
          event.preventDefault(); // keep the focus in the field
          choose(i);
        });
        list.append(option);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", String(found.length > 0));
      active = -1;
      input.removeAttribute("aria-activedescendant");
      announce(found.length);
    }

    async function search() {
      const q = input.value.trim();
      if (q.length < 2) {
        items = [];
        close();
        return;
      }
      const params = new URLSearchParams({ q, limit: "10", lang: box.dataset.lang || "ru" });
      (box.dataset.regions || "").split(",").filter(Boolean).forEach((r) => params.append("region", r));
      if (pending) pending.abort();
      pending = new AbortController();
      try {
        const answer = await fetch(`${box.dataset.source}?${params}`, {
          signal: pending.signal, headers: { Accept: "application/json" },
        });
        if (!answer.ok) return;
        show(await answer.json());
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", (event) => {
      const open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { search(); } return; }
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // choose, do not send the form yet
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
          hidden.value = "";
        }
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }

  document.querySelectorAll("[data-org-picker]").forEach(setUp);
})();
