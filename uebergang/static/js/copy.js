// "Kopieren" buttons: <button data-copy="#id-of-the-text" data-copied="Kopiert" hidden>.
// Without JavaScript the buttons stay hidden and the text can be selected by hand.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.querySelector(button.dataset.copy);
    const status = document.querySelector(button.dataset.status);
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = button.dataset.copied;
      } catch (error) {
        if (status) status.textContent = button.dataset.failed;
      }
    });
  }
});
