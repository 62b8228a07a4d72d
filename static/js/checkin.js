// Check-in with location, only when the person chooses it (DESIGN.md: never compulsory).
(function () {
  var button = document.getElementById("checkin-with-location");
  if (!button) { return; }
  var form = document.getElementById("checkin-form");
  button.addEventListener("click", function () {
    if (!navigator.geolocation) { form.submit(); return; }
    document.getElementById("checkin-status").classList.remove("d-none");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      form.elements.accuracy_m.value = Math.round(pos.coords.accuracy);
      form.submit();
    }, function () { form.submit(); }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });
})();
