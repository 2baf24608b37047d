// Filter bars of the needs, offers and organisations lists: a choice in a select box is
// applied at once. Without JavaScript the «Show» button does the same.
document.querySelectorAll("form.filters select").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});
