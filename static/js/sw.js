/*
 * Peer Academy's service worker (served at /sw.js, so its scope is the whole app).
 *
 * It never stores anything itself: the only things in Cache Storage are what a trainee
 * chose to save on a module's page (offline.js puts them there, in a cache named for
 * that trainee). It answers from that cache only
 *   - lesson pages (/modules/<module>/lessons/<lesson>) and the list of saved lessons
 *     (/offline), and only when the network fails: online, the server always answers;
 *   - files under /static/ that were saved with a module (their address names their
 *     content's hash, so a saved copy is never out of date).
 * Every other request goes to the network untouched: no page of another role, no
 * certificate and no quiz page is ever answered from, or written to, a cache.
 * The cache it reads is the one named in the "academy-state" cache, written by the page
 * of the trainee who signed in last; another account's saved lessons are never shown.
 */
"use strict";

var STATE_CACHE = "academy-state";
var STATE_URL = "/offline/state";
var SAVED_PAGE = /^\/(modules\/[^/]+\/lessons\/[^/]+|offline)$/;
var STATIC_FILE = /^\/static\//;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

// What offline.js wrote for the trainee who signed in last, or null.
function readerState() {
  return caches.match(STATE_URL, { cacheName: STATE_CACHE })
    .then(function (state) { return state ? state.json() : null; })
    .catch(function () { return null; });
}

// The saved copy of the request in the signed-in trainee's cache, or undefined.
// caches.match with a cacheName never creates a cache (caches.open would).
function fromSaved(request) {
  return readerState().then(function (state) {
    if (!state || !state.cache) {
      return undefined;
    }
    return caches.match(request, { cacheName: state.cache });
  });
}

// Before any trainee page has run offline.js in a language, the page is in English.
var ENGLISH = {
  lang: "en",
  dir: "ltr",
  title: "You are offline",
  text: "This page is not saved on this phone. It opens again when you are online.",
  link: "Lessons saved on this phone"
};

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return "&#" + c.charCodeAt(0) + ";";
  });
}

// "You are offline", in the language of the trainee's pages.
function notSaved() {
  return readerState().then(function (state) {
    var words = (state && state.page) || ENGLISH;
    var page = "<!doctype html><html lang=\"" + escapeHtml(words.lang) + "\" dir=\"" +
      escapeHtml(words.dir) + "\"><head><meta charset=\"utf-8\">" +
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
      "<title>" + escapeHtml(words.title) + " · Peer Academy</title></head><body>" +
      "<h1>" + escapeHtml(words.title) + "</h1>" +
      "<p>" + escapeHtml(words.text) + "</p>" +
      "<p><a href=\"/offline\">" + escapeHtml(words.link) + "</a></p></body></html>";
    return new Response(page, {
      status: 503,
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'",
        "Cache-Control": "no-store"
      }
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (SAVED_PAGE.test(url.pathname)) {
    event.respondWith(fetch(request).catch(function () {
      return fromSaved(request).then(function (saved) { return saved || notSaved(); });
    }));
  } else if (STATIC_FILE.test(url.pathname)) {
    event.respondWith(fromSaved(request).then(function (saved) {
      return saved || fetch(request);
    }));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(notSaved));
  }
});
