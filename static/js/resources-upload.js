/* Drag-and-drop for resource uploads: enhances a plain <input type="file" data-dropzone>.
   Without this script the input works as usual; with it, a file can be dropped on the zone. */
(function () {
  "use strict";
  function describe(file) {
    var size = file.size < 1048576 ? Math.max(1, Math.round(file.size / 1024)) + " KB"
      : (file.size / 1048576).toFixed(1) + " MB";
    return file.name + " (" + size + ")";
  }
  function enhance(input) {
    var zone = document.createElement("div");
    zone.className = "resource-dropzone mb-2";
    zone.style.border = "2px dashed #6c757d";
    zone.style.borderRadius = ".5rem";
    zone.style.padding = "1rem";
    var hint = document.createElement("p");
    hint.className = "mb-1";
    hint.textContent = "Drag a file here, or use the button below.";
    var status = document.createElement("p");
    status.className = "small mb-0";
    status.setAttribute("aria-live", "polite");
    input.parentNode.insertBefore(zone, input);
    zone.appendChild(hint);
    zone.appendChild(input);
    zone.appendChild(status);
    function show() {
      status.textContent = input.files && input.files.length ? "Selected: " + describe(input.files[0]) : "";
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.style.borderColor = "#0b5563";
        zone.style.background = "#e7f1f3";
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.style.borderColor = "#6c757d";
        zone.style.background = "";
      });
    });
    zone.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) { return; }
      var transfer = new DataTransfer();
      transfer.items.add(files[0]);
      input.files = transfer.files;
      show();
    });
  }
  document.querySelectorAll("input[type=file][data-dropzone]").forEach(enhance);
})();
