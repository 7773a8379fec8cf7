// The dashboard's script: lists the scenarios open for the analyst views.
const app = document.getElementById("app");
fetch("/analyst/scenarios")
  .then((r) => r.json())
  .then((body) => {
    const list = document.createElement("ul");
    for (const s of body.scenarios || []) {
      const item = document.createElement("li");
      item.textContent = `${s.title} (${s.id})`;
      list.append(item);
    }
    app.replaceChildren(document.createElement("h1"), list);
    app.firstChild.textContent = "Concord";
  });
