// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// "Read aloud" uses the browser's own voice; the button stays hidden where there is none.
function initReadAloud() {
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
    return;
  }
  for (const button of document.querySelectorAll("[data-read-aloud]")) {
    const source = button.closest("[data-read-aloud-source]") || document.querySelector("main");
    button.hidden = false;
    button.addEventListener("click", () => {
      window.speechSynthesis.cancel();
      const parts = source.querySelectorAll("[data-read-aloud-part]");
      const text = Array.from(parts, (part) => part.textContent.trim()).join(". ");
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = document.documentElement.lang || "en";
      utterance.rate = 0.9;
      window.speechSynthesis.speak(utterance);
    });
  }
}

initReadAloud();
