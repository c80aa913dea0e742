/*
 * Read aloud: a lesson read by the browser's own speech synthesis (docs/accessibility.md).
 *
 * No server and no other site: the phone's voices speak, offline too where it has one. The
 * control is a <template> in the lesson page, shown only here, so without JavaScript or
 * without speech synthesis there is no control rather than a broken one. Every word shown
 * comes from the template (its text and data- attributes), never from this file.
 *
 * The lesson is read one block at a time (a heading, a paragraph, a list item): the block
 * being read gets the class "read-aloud-current" and is scrolled into view. Each block is
 * spoken in the language of its nearest lang attribute (the lesson's). Pause stops the
 * voice and Resume reads the paused block again from its start: pausing in the middle of a
 * sentence does not work in every browser, starting a block again does.
 */
(function () {
  "use strict";

  var template = document.getElementById("read-aloud-template");
  var synth = window.speechSynthesis;
  if (!template || !synth || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var article = document.querySelector(template.getAttribute("data-text"));
  if (!article) {
    return;
  }

  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, figcaption, pre";
  var CURRENT = "read-aloud-current";
  var VOICE_WAIT_MS = 1500; // Chrome lists its voices a moment after the page loads

  template.parentNode.insertBefore(template.content.cloneNode(true), template.nextSibling);
  var control = template.nextElementSibling;
  var startButton = control.querySelector("[data-action='start']");
  var pauseButton = control.querySelector("[data-action='pause']");
  var resumeButton = control.querySelector("[data-action='resume']");
  var stopButton = control.querySelector("[data-action='stop']");
  var status = control.querySelector("[role='status']");

  var blocks = [];
  var index = 0;
  // Each reading gets a number: a cancelled utterance's late "end" event belongs to an
  // older number and is ignored, so Stop and Pause never skip on to the next block.
  var reading = 0;

  function message(name, values) {
    var text = control.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function setState(state, text) {
    control.setAttribute("data-state", state);
    var active = state === "reading" || state === "paused";
    startButton.setAttribute("aria-pressed", active ? "true" : "false");
    pauseButton.hidden = state !== "reading";
    resumeButton.hidden = state !== "paused";
    stopButton.hidden = !active;
    if (text !== undefined) {
      status.textContent = text;
    }
  }

  function readableBlocks() {
    var all = Array.prototype.slice.call(article.querySelectorAll(BLOCKS));
    return all.filter(function (block) {
      var inner = block.querySelector(BLOCKS); // a list item with paragraphs: read those
      return !inner && block.textContent.trim() && block.getClientRects().length;
    });
  }

  function languageOf(element) {
    var holder = element.closest("[lang]");
    return (holder && holder.getAttribute("lang")) || "en";
  }

  function primary(tag) {
    return tag.toLowerCase().replace("_", "-").split("-")[0];
  }

  function voiceFor(lang) {
    var voices = synth.getVoices() || [];
    var wanted = lang.toLowerCase().replace("_", "-");
    var matching = voices.filter(function (voice) {
      return primary(voice.lang || "") === primary(wanted);
    });
    function rank(voice) {
      var exact = (voice.lang || "").toLowerCase().replace("_", "-") === wanted ? 0 : 2;
      return exact + (voice.localService ? 0 : 1); // a voice on the phone works offline
    }
    matching.sort(function (a, b) { return rank(a) - rank(b); });
    return matching[0] || null;
  }

  function languageName(lang) {
    try {
      return new Intl.DisplayNames([lang], { type: "language" }).of(lang) || lang;
    } catch (error) {
      return lang; // an old browser without Intl.DisplayNames
    }
  }

  function clearHighlight() {
    var marked = article.querySelectorAll("." + CURRENT);
    for (var i = 0; i < marked.length; i += 1) {
      marked[i].classList.remove(CURRENT);
    }
  }

  function show(block) {
    clearHighlight();
    block.classList.add(CURRENT);
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    block.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  }

  function speakCurrent() {
    var number = reading;
    var block = blocks[index];
    var lang = languageOf(block);
    var utterance = new window.SpeechSynthesisUtterance(block.textContent.trim());
    utterance.lang = lang;
    utterance.voice = voiceFor(lang);
    utterance.onend = function () {
      if (number !== reading) {
        return;
      }
      index += 1;
      if (index < blocks.length) {
        speakCurrent();
      } else {
        finish(message("finished"));
      }
    };
    utterance.onerror = function (event) {
      if (number === reading && event.error !== "interrupted" && event.error !== "canceled") {
        finish(message("failed"));
      }
    };
    show(block);
    synth.speak(utterance);
  }

  function finish(text) {
    reading += 1;
    synth.cancel();
    clearHighlight();
    setState("idle", text);
  }

  function whenVoicesKnown(then) {
    if ((synth.getVoices() || []).length) {
      then();
      return;
    }
    var done = false;
    function once() {
      if (!done) {
        done = true;
        then();
      }
    }
    if (synth.addEventListener) {
      synth.addEventListener("voiceschanged", once);
    }
    window.setTimeout(once, VOICE_WAIT_MS);
  }

  function start() {
    blocks = readableBlocks();
    if (!blocks.length) {
      return;
    }
    whenVoicesKnown(function () {
      var lang = languageOf(article);
      if (!voiceFor(lang)) {
        setState("no-voice", message("no-voice", { language: languageName(lang) }));
        return;
      }
      if (synth.speaking || synth.pending) {
        synth.cancel(); // whatever another page left speaking (Chrome may drop a speak()
      }                 // that follows cancel() at once, so only when there is something)
      reading += 1;
      index = 0;
      setState("reading", message("reading"));
      speakCurrent();
    });
  }

  function pause() {
    reading += 1;
    synth.cancel();
    setState("paused", message("paused"));
    resumeButton.focus();
  }

  function resume() {
    reading += 1;
    setState("reading", message("reading"));
    pauseButton.focus();
    speakCurrent();
  }

  function stop() {
    finish(message("stopped"));
    startButton.focus();
  }

  startButton.addEventListener("click", function () {
    if (startButton.getAttribute("aria-pressed") === "true") {
      stop(); // a toggle: pressed again, reading stops
    } else {
      start();
    }
  });
  pauseButton.addEventListener("click", pause);
  resumeButton.addEventListener("click", resume);
  stopButton.addEventListener("click", stop);

  // The voice must fall silent when the trainee leaves, above all by the quick exit: the
  // browser would otherwise go on reading the lesson over the neutral site.
  function silence() {
    reading += 1;
    synth.cancel();
  }
  window.addEventListener("pagehide", silence);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { // back from the back-forward cache: the voice was silenced
      clearHighlight();
      setState("idle", "");
    }
  });
  var exits = document.querySelectorAll(".js-quick-exit");
  for (var i = 0; i < exits.length; i += 1) {
    exits[i].addEventListener("click", silence, true);
  }
  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift" && document.documentElement.classList.contains("quick-exit-leaving")) {
      silence();
    }
  });

  setState("idle", "");
  synth.getVoices(); // Chrome starts listing its voices now, so they are there at the click
})();
