/*
 * Quick exit ("Leave this page").
 *
 * Every link with the class "js-quick-exit" (the button at the top of every page and the
 * first skip link) and the keyboard shortcut support sites teach (GOV.UK's "Exit this
 * page": press Shift 3 times) do the same, at once:
 *   1. hide the page,
 *   2. ask the server to end the session (GET /leave, the link's own address),
 *   3. forget what this site saved on the phone: saved lessons (Cache Storage), actions
 *      waiting to be sent (localStorage) and the service worker; /leave's
 *      Clear-Site-Data does the same, but it does not arrive when the phone is offline,
 *      and not every browser honours it,
 *   4. replace this page with the neutral site from data-exit-url, with
 *      location.replace, so the Back button does not come back here.
 * Without JavaScript the links still work: /leave signs out and redirects to the same site.
 * forgetOnThisPhone is also what signing out and deleting the account use (offline.js).
 */
(function () {
  "use strict";

  var PRESSES = 3;
  var PRESS_GAP_MS = 5000; // as GOV.UK: up to 5 seconds between presses
  // At most this long spent forgetting before the page goes: leaving comes first.
  var FORGET_WAIT_MS = 400;

  // Removes everything Peer Academy keeps on this phone; resolves when done.
  function forgetOnThisPhone() {
    var steps = [];
    try {
      window.localStorage.clear();
      window.sessionStorage.clear();
    } catch (error) {
      // Storage switched off: nothing was kept there.
    }
    if (window.caches) {
      steps.push(window.caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return window.caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      steps.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      }));
    }
    return Promise.all(steps).catch(function () {});
  }

  var links = document.querySelectorAll("a.js-quick-exit[data-exit-url]");
  window.academyForgetOnThisPhone = forgetOnThisPhone;
  if (!links.length) {
    return;
  }
  var leaveUrl = links[0].getAttribute("href");
  // Without a configured site, the sign-out link itself leads on to the neutral site.
  var exitUrl = links[0].getAttribute("data-exit-url") || leaveUrl;
  // What screen readers hear between presses, in the page's language (base.html).
  var pressTwoMore = links[0].getAttribute("data-press-two") ||
    "Shift: press 2 more times to leave this page.";
  var pressOneMore = links[0].getAttribute("data-press-one") ||
    "Shift: press 1 more time to leave this page.";
  var left = false;
  var presses = 0;
  var lastKeyWasModified = false;
  var timer = null;
  var status = null;

  function hidePage() {
    document.documentElement.classList.add("quick-exit-leaving");
    document.title = "";
    if (document.body) {
      document.body.hidden = true;
    }
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    left = true;
    hidePage();
    try {
      // Ends the session on the server; keepalive lets it finish after we navigate away.
      // "manual": do not follow the redirect to the neutral site from here.
      window.fetch(leaveUrl, {
        method: "GET",
        credentials: "same-origin",
        keepalive: true,
        redirect: "manual",
        cache: "no-store"
      }).catch(function () {});
    } catch (error) {
      // An old browser without fetch: the page still goes away below.
    }
    var gone = false;
    function go() {
      if (!gone) {
        gone = true;
        window.location.replace(exitUrl);
      }
    }
    forgetOnThisPhone().then(go);
    window.setTimeout(go, FORGET_WAIT_MS);
  }

  function announce(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function resetPresses() {
    presses = 0;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
  }

  function onKeyUp(event) {
    // Shift on its own counts; Shift used for a capital letter does not (that fires a
    // keyup for the letter with shiftKey set, then one for Shift).
    if (event.key === "Shift" && !lastKeyWasModified) {
      presses += 1;
      if (timer) {
        window.clearTimeout(timer);
      }
      if (presses >= PRESSES) {
        resetPresses();
        leave();
        return;
      }
      announce(presses === 1 ? pressTwoMore : pressOneMore);
      timer = window.setTimeout(function () {
        resetPresses();
        announce("");
      }, PRESS_GAP_MS);
    } else if (presses) {
      resetPresses();
      announce("");
    }
    lastKeyWasModified = event.shiftKey;
  }

  for (var i = 0; i < links.length; i += 1) {
    links[i].addEventListener("click", leave);
  }
  document.addEventListener("keyup", onKeyUp, true);

  // Screen readers hear how many more presses are needed.
  status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  // A browser may restore this page from its back-forward cache after an exit:
  // keep it hidden and go to the neutral site again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && left) {
      hidePage();
      window.location.replace(exitUrl);
    }
  });
})();
