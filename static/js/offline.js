/*
 * Reading offline and sending later (docs/offline.md); without JavaScript every form
 * posts as usual. Only on a trainee's pages (data-offline-key on <body>, the name of the
 * trainee's own cache) is the service worker (/sw.js) registered, and:
 * - "Save lessons on this phone" puts a module's offline copy (addresses from the server)
 *   into that cache, "Remove saved lessons" deletes it, and /offline lists what is saved;
 * - offline, "I have studied this lesson" and "Send my answers" wait in an outbox
 *   (localStorage, with the trainee's key) and go once the phone is online, with a fresh
 *   CSRF token, only while the same trainee is signed in; the server takes each once.
 * Signing out and deleting the account remove all of it first (quick-exit.js).
 */
(function () {
  "use strict";

  var OUTBOX = "academy-outbox";
  var STATE_CACHE = "academy-state";
  var STATE_URL = "/offline/state";
  var SAVED_PREFIX = "/offline/saved/";
  var SIGN_OUT_WAIT_MS = 3000;
  var script = document.currentScript;
  // Every word it shows, in the reader's language, comes from the page
  // (academy/modules/offline/messages.py): a trainee's pages always carry them, and the
  // script shows nothing to anyone else.
  var MESSAGES = {};
  try {
    MESSAGES = JSON.parse(script.getAttribute("data-messages") || "{}");
  } catch (error) { /* a broken attribute: the script stays silent rather than fail */ }
  var sessionUrl = script.getAttribute("data-session-url");
  var workerUrl = script.getAttribute("data-worker-url");
  var userKey = document.body.getAttribute("data-offline-key") || "";
  var storable = Boolean(window.caches && window.localStorage && window.fetch);

  function forget() {
    return window.academyForgetOnThisPhone ? window.academyForgetOnThisPhone()
                                           : Promise.resolve();
  }

  // --- the outbox ---------------------------------------------------------------------

  function readOutbox() {
    try {
      return JSON.parse(window.localStorage.getItem(OUTBOX)) || [];
    } catch (error) {
      return [];
    }
  }

  function writeOutbox(items) {
    if (items.length) {
      window.localStorage.setItem(OUTBOX, JSON.stringify(items));
    } else {
      window.localStorage.removeItem(OUTBOX);
    }
  }

  // One entry per form address: sending the same lesson or quiz again replaces it.
  function keep(form, kind) {
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, String(value)]); });
    var items = readOutbox().filter(function (item) {
      return !(item.key === userKey && item.url === form.action);
    });
    items.push({ key: userKey, kind: kind, url: form.action, page: location.pathname,
                 fields: fields });
    writeOutbox(items);
  }

  function drop(sent) {
    writeOutbox(readOutbox().filter(function (item) {
      return !(item.key === sent.key && item.url === sent.url);
    }));
  }

  function statusAfter(form) {
    var status = form.nextElementSibling;
    if (!status || !status.classList.contains("offline-status")) {
      status = document.createElement("p");
      status.className = "offline-status";
      status.setAttribute("role", "status");
      form.parentNode.insertBefore(status, form.nextSibling);
    }
    return status;
  }

  function say(form, text) {
    if (form) {
      statusAfter(form).textContent = text || "";
    }
  }

  function formFor(item) {
    var forms = document.querySelectorAll("form.js-offline-queue");
    for (var i = 0; i < forms.length; i += 1) {
      if (forms[i].action === item.url) {
        return forms[i];
      }
    }
    return null;
  }

  function send(item, token) {
    var body = new URLSearchParams();
    item.fields.forEach(function (field) {
      body.append(field[0], field[0] === "csrf_token" ? token : field[1]);
    });
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        var form = formFor(item);
        var signedOut = new URL(response.url).pathname.indexOf("/sign-in") !== -1;
        // Server errors and rate limits are passing: try again later. Any other answer
        // is the server's decision (taken, or refused for a reason it shows).
        if (signedOut || response.status >= 500 || response.status === 429) {
          say(form, signedOut ? MESSAGES.signIn : MESSAGES.refused);
          return;
        }
        drop(item);
        if (item.kind === "quiz" && location.pathname === item.page) {
          location.assign(response.ok ? response.url : item.page);
        } else {
          say(form, MESSAGES.sent);
        }
      });
  }

  var flushing = null;

  // Sends this trainee's waiting entries, one after the other.
  function flush() {
    var mine = readOutbox().filter(function (item) { return item.key === userKey; });
    if (flushing || !mine.length || !navigator.onLine) {
      return flushing || Promise.resolve();
    }
    flushing = fetch(sessionUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (session) {
        if (session.key !== userKey) {
          mine.forEach(function (item) { say(formFor(item), MESSAGES.signIn); });
          return null;
        }
        return mine.reduce(function (previous, item) {
          return previous.then(function () { return send(item, session.csrf_token); });
        }, Promise.resolve());
      })
      .catch(function () {
        // Still offline after all: everything stays in the outbox.
      })
      .then(function () { flushing = null; });
    return flushing;
  }

  function queueWhenOffline(form) {
    var kind = form.getAttribute("data-offline-kind");
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) {
        return; // the form posts as usual
      }
      event.preventDefault();
      keep(form, kind);
      say(form, MESSAGES[kind]);
    });
  }

  // --- saved lessons ------------------------------------------------------------------

  // What the service worker reads: whose cache to answer from, and the words of its
  // "You are offline" page in this trainee's language (sw.js has no other way to know).
  function readerState(cacheName) {
    var root = document.documentElement;
    return JSON.stringify({
      cache: cacheName,
      page: {
        lang: root.getAttribute("lang") || "en",
        dir: root.getAttribute("dir") || "ltr",
        title: MESSAGES.offlineTitle,
        text: MESSAGES.offlineText,
        link: MESSAGES.offlineLink
      }
    });
  }

  function rememberWhoIsReading(cacheName) {
    return caches.open(STATE_CACHE).then(function (cache) {
      return cache.put(STATE_URL, new Response(readerState(cacheName),
        { headers: { "Content-Type": "application/json" } }));
    });
  }

  // A trainee signed in after another one on this phone reads only their own lessons;
  // one who changed the language gets the offline page in the new one.
  function followTheSignedInTrainee() {
    return caches.match(STATE_URL, { cacheName: STATE_CACHE })
      .then(function (state) { return state ? state.text() : null; })
      .then(function (state) {
        if (state !== null && state !== readerState(userKey)) {
          return rememberWhoIsReading(userKey);
        }
        return null;
      });
  }

  function copyInto(cache, url, isPage) {
    var headers = isPage ? { "X-Academy-Offline-Copy": "1" } : {};
    return fetch(url, { credentials: "same-origin", headers: headers, cache: "no-cache" })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("not saved: " + url);
        }
        return cache.put(url, response);
      });
  }

  function saveModule(section) {
    var status = section.querySelector(".offline-status");
    status.textContent = MESSAGES.saving;
    return fetch(section.getAttribute("data-files-url"), { credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (copy) {
          if (!response.ok) {
            throw new Error(copy.error || MESSAGES.notSaved);
          }
          return copy;
        });
      })
      .then(function (copy) {
        return caches.open(copy.cache).then(function (cache) {
          var pages = copy.lessons.map(function (lesson) { return lesson.url; });
          var steps = pages.concat([copy.index]).map(function (url) {
            return copyInto(cache, url, true);
          }).concat(copy.assets.map(function (url) { return copyInto(cache, url, false); }));
          return Promise.all(steps).then(function () {
            var record = { title: copy.module.title, lessons: copy.lessons,
                           saved: new Date().toISOString().slice(0, 10) };
            return cache.put(SAVED_PREFIX + copy.module.slug, new Response(
              JSON.stringify(record), { headers: { "Content-Type": "application/json" } }));
          }).then(function () { return rememberWhoIsReading(copy.cache); });
        });
      })
      .then(function () {
        status.textContent = MESSAGES.saved;
        showSaveState(section, true);
      })
      .catch(function (error) {
        status.textContent = error && error.message && error.message.indexOf("not saved") !== 0
          ? error.message : MESSAGES.notSaved;
      });
  }

  // The saved modules of this trainee: [{slug, title, lessons, saved}].
  function savedModules() {
    return caches.has(userKey).then(function (exists) {
      if (!exists) {
        return [];
      }
      return caches.open(userKey).then(function (cache) {
        return cache.keys().then(function (requests) {
          var records = requests.filter(function (request) {
            return new URL(request.url).pathname.indexOf(SAVED_PREFIX) === 0;
          });
          return Promise.all(records.map(function (request) {
            return cache.match(request).then(function (response) { return response.json(); })
              .then(function (record) {
                record.slug = new URL(request.url).pathname.slice(SAVED_PREFIX.length);
                return record;
              });
          }));
        });
      });
    });
  }

  function removeModule(slug) {
    return caches.open(userKey).then(function (cache) {
      return cache.match(SAVED_PREFIX + slug).then(function (response) {
        return response ? response.json() : { lessons: [] };
      }).then(function (record) {
        return Promise.all(record.lessons.map(function (lesson) {
          return cache.delete(lesson.url);
        })).then(function () { return cache.delete(SAVED_PREFIX + slug); });
      });
    }).then(savedModules).then(function (left) {
      // Nothing left of this trainee: the shared files and the reader's name go too.
      return left.length ? null : removeAll();
    });
  }

  function removeAll() {
    return Promise.all([caches.delete(userKey), caches.delete(STATE_CACHE)]);
  }

  function showSaveState(section, saved) {
    section.querySelector(".js-offline-save").hidden = saved;
    section.querySelector(".js-offline-remove").hidden = !saved;
  }

  function setUpSaveSection(section) {
    var slug = section.getAttribute("data-module");
    section.hidden = false;
    savedModules().then(function (modules) {
      showSaveState(section, modules.some(function (m) { return m.slug === slug; }));
    });
    section.querySelector(".js-offline-save").addEventListener("click", function () {
      saveModule(section);
    });
    section.querySelector(".js-offline-remove").addEventListener("click", function () {
      removeModule(slug).then(function () {
        section.querySelector(".offline-status").textContent = MESSAGES.removed;
        showSaveState(section, false);
      });
    });
  }

  function element(name, text) {
    var node = document.createElement(name);
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function showSavedList(list) {
    var empty = document.getElementById("offline-nothing-saved");
    var removeAllButton = document.getElementById("offline-remove-all");
    document.getElementById("offline-needs-script").hidden = true;
    list.hidden = false;
    savedModules().then(function (modules) {
      list.textContent = "";
      empty.hidden = modules.length > 0;
      removeAllButton.hidden = modules.length === 0;
      modules.forEach(function (module) {
        var item = element("li");
        item.appendChild(element("h2", module.title));
        item.appendChild(element("p", MESSAGES.savedOn.replace("{day}", module.saved)));
        var lessons = element("ol");
        module.lessons.forEach(function (lesson) {
          var link = element("a", lesson.title);
          link.href = lesson.url;
          lessons.appendChild(element("li")).appendChild(link);
        });
        item.appendChild(lessons);
        var button = element("button", MESSAGES.removeOne.replace("{title}", module.title));
        button.type = "button";
        button.className = "button secondary";
        button.addEventListener("click", function () {
          removeModule(module.slug).then(function () { showSavedList(list); });
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    });
    if (!removeAllButton.getAttribute("data-ready")) {
      removeAllButton.setAttribute("data-ready", "1");
      removeAllButton.addEventListener("click", function () {
        removeAll().then(function () { showSavedList(list); });
      });
    }
  }

  // --- signing out, deleting the account -----------------------------------------------

  function forgetBeforeSubmitting(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // Signing out sends what is waiting first (if it can, briefly); deleting does not.
      var first = form.hasAttribute("data-send-first") ? flush() : Promise.resolve();
      var timeout = new Promise(function (resolve) {
        window.setTimeout(resolve, SIGN_OUT_WAIT_MS);
      });
      Promise.race([first, timeout]).then(forget).then(function () { form.submit(); });
    });
  }

  if (!storable) {
    return;
  }
  Array.prototype.forEach.call(document.querySelectorAll("form.js-forget-offline"),
                               forgetBeforeSubmitting);
  if (!userKey) {
    return;
  }
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(workerUrl).catch(function () {});
  }
  followTheSignedInTrainee().catch(function () {});
  Array.prototype.forEach.call(document.querySelectorAll("form.js-offline-queue"),
                               queueWhenOffline);
  Array.prototype.forEach.call(document.querySelectorAll(".offline-save[data-module]"),
                               setUpSaveSection);
  var list = document.getElementById("offline-saved-list");
  if (list) {
    showSavedList(list);
  }
  readOutbox().forEach(function (item) {
    if (item.key === userKey) {
      say(formFor(item), MESSAGES[item.kind]);
    }
  });
  window.addEventListener("online", flush);
  flush();
})();
