// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  navigator.clipboard.writeText(button.dataset.copy).then(() => {
    button.textContent = button.dataset.copied || "✓";
  });
});
document.addEventListener("click", (event) => {
  // Picking a suggested town fills the visible field and the hidden id.
  const option = event.target.closest("[data-city-id]");
  if (!option) return;
  const form = option.closest("form");
  form.querySelector("[name=city]").value = option.dataset.cityId;
  form.querySelector("[name=city_query]").value = option.dataset.cityName;
  option.closest(".suggestions").replaceChildren();
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-from]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyFrom);
  navigator.clipboard.writeText(source.value || source.textContent).then(() => {
    button.textContent = button.dataset.copied || "✓";
  });
});
