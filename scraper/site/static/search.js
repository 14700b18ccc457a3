// Client-side search over window.SEARCH_INDEX, folded as `langson-archive search` folds:
// no diacritics, "đ" → "d", lower case; a document number is one token whatever its spacing.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d").toLowerCase();
  }
  var NUMBER = /\d+[A-Za-z]?(?:\s*[\/-]\s*[0-9A-Za-zĐđ][0-9A-Za-zĐđ&.]*)+/g;
  function search(query) {
    var docs = (query.match(NUMBER) || []).map(function (n) { return fold(n).replace(/[^0-9a-z]/g, ""); });
    var words = fold(query.replace(NUMBER, " ")).split(/[^0-9a-z]+/).filter(Boolean);
    if (!docs.length && !words.length) { return []; }
    var phrase = words.join(" ");
    return (window.SEARCH_INDEX || []).map(function (entry) {
      var padded = " " + entry.folded.replace(/[^0-9a-z]+/g, " ") + " ";
      if (!docs.every(function (d) { return entry.docs.indexOf(d) >= 0; })) { return null; }
      if (!words.every(function (w) { return padded.indexOf(" " + w + " ") >= 0; })) { return null; }
      var score = (padded.indexOf(" " + phrase + " ") >= 0 ? 10 : 0) + words.length;
      return { entry: entry, score: score };
    }).filter(Boolean).sort(function (a, b) { return b.score - a.score || (a.entry.week < b.entry.week ? 1 : -1); });
  }
  function show(results) {
    var list = document.getElementById("results");
    list.textContent = "";
    results.slice(0, 20).forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.entry.href;
      link.textContent = r.entry.title;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" " + r.entry.week));
      list.appendChild(item);
    });
  }
  var box = document.getElementById("q");
  if (box) { box.addEventListener("input", function () { show(search(box.value)); }); }
  window.searchArchive = search;
})();
