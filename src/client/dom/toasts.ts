/** How long a toast stays: long enough to read a sentence, short enough not to pile up. */
const TOAST_MS = 6_000;

/** A short message in the page's live region (`#toasts`, role=status), gone after a few seconds. */
export function showToast(text: string): void {
  const region = document.getElementById("toasts");
  if (!region) return;
  const toast = document.createElement("div");
  toast.className = "toast";
  toast.textContent = text;
  region.append(toast);
  window.setTimeout(() => toast.remove(), TOAST_MS);
}
