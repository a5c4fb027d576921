// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk/govuk-frontend.min.js";

initAll();

// "Read aloud" uses the browser's own voice, British English where the browser has one;
// the controls stay hidden where there is no voice at all. "Stop" replaces "Read aloud"
// while it speaks, and focus follows, so a keyboard user is never left on a hidden button.
function britishVoice() {
  const voices = window.speechSynthesis.getVoices();
  return voices.find((voice) => voice.lang === "en-GB" || voice.lang === "en_GB") || null;
}

function initReadAloud() {
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
    return;
  }
  for (const control of document.querySelectorAll("[data-read-aloud]")) {
    const source = control.closest("[data-read-aloud-source]") || document.querySelector("main");
    const start = control.querySelector("[data-read-aloud-start]");
    const stop = control.querySelector("[data-read-aloud-stop]");
    const speaking = (on) => {
      const hadFocus = document.activeElement === (on ? start : stop);
      start.hidden = on;
      stop.hidden = !on;
      if (hadFocus) (on ? stop : start).focus();
    };
    // Cancelling one utterance fires its "error" late: only the latest may reset the controls.
    let current = null;
    control.hidden = false;
    start.addEventListener("click", () => {
      window.speechSynthesis.cancel();
      const parts = source.querySelectorAll("[data-read-aloud-part]");
      // Each part ends as a sentence, so the voice pauses between them without reading "?.".
      const text = Array.from(parts, (part) => part.textContent.trim())
        .filter((part) => part)
        .map((part) => (/[.?!]$/.test(part) ? part : `${part}.`))
        .join(" ");
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = document.documentElement.lang || "en-GB";
      const voice = britishVoice();
      if (voice) utterance.voice = voice;
      utterance.rate = 0.9;
      const finished = () => {
        if (current === utterance) speaking(false);
      };
      utterance.addEventListener("end", finished);
      utterance.addEventListener("error", finished);
      current = utterance;
      speaking(true);
      window.speechSynthesis.speak(utterance);
    });
    stop.addEventListener("click", () => {
      current = null;
      window.speechSynthesis.cancel();
      speaking(false);
    });
  }
}

initReadAloud();

// The survey builder's question page: the reading age follows the words as the officer
// types, measured by the server (app/surveys/readability.py) as it is when they save.
function initReadingAge() {
  const form = document.querySelector("form[data-reading-age-url]");
  const shown = form && form.querySelector("[data-reading-age]");
  if (!shown) return;
  let timer = null;
  let asked = 0;
  const measure = async () => {
    const body = new URLSearchParams();
    body.set("csrf_token", form.elements.csrf_token.value);
    body.set("text", form.elements.text.value);
    body.set("hint", form.elements.hint.value);
    form.querySelectorAll("[data-reading-age-option]").forEach((input, index) => {
      body.set(`labels-${index}`, input.value);
    });
    const mine = ++asked;
    const answer = await fetch(form.dataset.readingAgeUrl, { method: "POST", body });
    // Only the newest answer is shown: an older, slower one must not replace it.
    if (!answer.ok || mine !== asked) return;
    const fresh = new DOMParser().parseFromString(await answer.text(), "text/html");
    const replacement = fresh.querySelector("[data-reading-age]");
    if (replacement) shown.innerHTML = replacement.innerHTML;
  };
  form.addEventListener("input", (event) => {
    if (!event.target.matches("[data-reading-age-text], [data-reading-age-option]")) return;
    clearTimeout(timer);
    timer = setTimeout(measure, 400);
  });
}

initReadingAge();
