// The task page: names of the files chosen in the work form.
(function () {
  var out = document.getElementById("chosen-files");
  if (!out) return;
  function show() {
    var names = [];
    document.querySelectorAll('#work-form input[type=file]').forEach(function (i) {
      for (var k = 0; k < i.files.length; k++) names.push(i.files[k].name);
    });
    out.textContent = names.join("，");
  }
  document.querySelectorAll('#work-form input[type=file]').forEach(function (i) { i.addEventListener("change", show); });
})();
