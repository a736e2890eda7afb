/* The org report's table and team lists, drawn from the embedded JSON with DOM text nodes
   (never innerHTML): every name stays text. Rows: [name, team, level rank, score, score change,
   previous level rank, failing check indices]; rank 0 is "no level". */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var PAGE = 500;
  var MINUS = "\u2212";
  var rows = data.rows;
  var haystack = rows.map(function (r) {
    return [r[0], data.teams[r[1]]].concat(r[6].map(function (c) { return data.checks[c]; }))
      .join("\n").toLowerCase();
  });
  var state = { key: "name", dir: 1, text: "", level: "", shown: PAGE };
  var tbody = document.querySelector("#repos tbody");
  var count = document.getElementById("count");
  var more = document.getElementById("more");

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function pill(rank) {
    return el("span", "lvl lv-" + rank, data.levels[rank]);
  }

  function signed(n) {
    if (n === 0) { return "0"; }
    return (n > 0 ? "+" : MINUS) + Math.abs(n);
  }

  var keys = {
    name: function (r) { return r[0].toLowerCase(); },
    team: function (r) { return data.teams[r[1]].toLowerCase(); },
    level: function (r) { return r[2]; },
    score: function (r) { return r[3]; },
    delta: function (r) { return r[4] === null ? -1e9 : r[4]; },
    failing: function (r) { return r[6].length; }
  };

  function compare(a, b) {
    var ka = keys[state.key](a), kb = keys[state.key](b);
    if (ka < kb) { return -state.dir; }
    if (ka > kb) { return state.dir; }
    var na = a[0].toLowerCase(), nb = b[0].toLowerCase();
    return na < nb ? -1 : (na > nb ? 1 : 0);
  }

  function checksCell(r) {
    var td = el("td", "checks");
    if (!r[6].length) { td.textContent = "\u2014"; }
    r[6].forEach(function (c) {
      var code = el("code", null, data.checks[c]);
      code.title = data.titles[c];
      if (data.docs[c]) {
        var a = el("a");
        a.href = data.docs[c];
        a.rel = "noopener noreferrer";
        a.appendChild(code);
        td.appendChild(a);
      } else {
        td.appendChild(code);
      }
      td.appendChild(document.createTextNode(" "));
    });
    return td;
  }

  function row(r) {
    var tr = el("tr");
    tr.appendChild(el("td", "name", r[0]));
    var team = el("td");
    var link = el("a", data.owned[r[1]] ? "" : "note", data.teams[r[1]]);
    link.href = "#team-" + r[1];
    team.appendChild(link);
    tr.appendChild(team);
    var level = el("td", "nowrap");
    level.appendChild(pill(r[2]));
    if (r[5] !== null && r[5] !== r[2]) {
      var arrow = el("span", r[2] > r[5] ? "up" : "down", r[2] > r[5] ? " \u25B2" : " \u25BC");
      arrow.title = "was " + data.levels[r[5]];
      level.appendChild(arrow);
    }
    tr.appendChild(level);
    tr.appendChild(el("td", "num", r[3]));
    var delta = el("td", "num");
    if (r[4] === null) {
      delta.textContent = data.hasPrevious ? "new" : "\u2014";
      delta.className = "num note";
    } else {
      delta.textContent = signed(r[4]);
      if (r[4] > 0) { delta.className = "num up"; }
      if (r[4] < 0) { delta.className = "num down"; }
    }
    tr.appendChild(delta);
    tr.appendChild(checksCell(r));
    return tr;
  }

  function render() {
    var text = state.text.trim().toLowerCase();
    var level = state.level === "" ? null : Number(state.level);
    var list = [];
    for (var i = 0; i < rows.length; i++) {
      if (level !== null && rows[i][2] !== level) { continue; }
      if (text && haystack[i].indexOf(text) < 0) { continue; }
      list.push(rows[i]);
    }
    list.sort(compare);
    var fragment = document.createDocumentFragment();
    var n = Math.min(list.length, state.shown);
    for (var j = 0; j < n; j++) { fragment.appendChild(row(list[j])); }
    tbody.textContent = "";
    tbody.appendChild(fragment);
    count.textContent = (list.length === rows.length ? "" : list.length.toLocaleString("en") +
      " of ") + rows.length.toLocaleString("en") + " repositories" +
      (n < list.length ? ", the first " + n.toLocaleString("en") + " shown" : "");
    more.hidden = n >= list.length;
  }

  document.querySelectorAll("#repos th[data-key]").forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      if (state.key === key) {
        state.dir = -state.dir;
      } else {
        state.key = key;
        state.dir = (key === "name" || key === "team") ? 1 : -1;
      }
      document.querySelectorAll("#repos th[data-key]").forEach(function (other) {
        other.setAttribute("aria-sort", other === th ?
          (state.dir > 0 ? "ascending" : "descending") : "none");
      });
      render();
    });
  });
  document.getElementById("filter").addEventListener("input", function (event) {
    state.text = event.target.value;
    state.shown = PAGE;
    render();
  });
  document.getElementById("level-filter").addEventListener("change", function (event) {
    state.level = event.target.value;
    state.shown = PAGE;
    render();
  });
  more.addEventListener("click", function () {
    state.shown += PAGE * 4;
    render();
  });

  document.querySelectorAll("details.teamrepos").forEach(function (details) {
    details.addEventListener("toggle", function () {
      var list = details.querySelector("ul");
      if (!details.open || list.childElementCount) { return; }
      var team = Number(details.getAttribute("data-team"));
      var mine = rows.filter(function (r) { return r[1] === team; });
      mine.sort(function (a, b) {
        return b[2] - a[2] || b[3] - a[3] || (a[0].toLowerCase() < b[0].toLowerCase() ? -1 : 1);
      });
      var fragment = document.createDocumentFragment();
      mine.forEach(function (r) {
        var li = el("li");
        li.appendChild(pill(r[2]));
        li.appendChild(document.createTextNode(" " + r[0] + " \u00B7 " + r[3]));
        fragment.appendChild(li);
      });
      list.appendChild(fragment);
    });
  });

  render();
}());
