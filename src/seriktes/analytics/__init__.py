"""Analytics: interregional turnover, import substitution, complementarity of regions,
memoranda execution, SMEs in procurement, and the reports of a region pair."""
