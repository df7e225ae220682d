// Kindred: small progressive enhancements. Every page works without this file.
// User text reaches the page only as the server's sanitised `body_html`; everything else
// is built with textContent.
(function () {
  "use strict";

  function announce(text) {
    var live = document.getElementById("live");
    if (live) live.textContent = text;
  }

  // The page's words for `key` (the words script, web/src/script_words.rs, renders them
  // from the catalogue in the page's language), each `{name}` filled in from `args`.
  function say(key, args) {
    var words = window.KINDRED_WORDS || {};
    var text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : key;
    Object.keys(args || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(args[name]));
    });
    return text;
  }

  function csrfOf(form) {
    var field = form.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  // The form's idempotency key (rendered with the page): the reply sent by script and the
  // form post it may fall back to carry the same key, so the reply is posted once.
  function keyField(form) {
    return form.querySelector("input[name=idempotency_key]");
  }

  function freshKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function enable(form) {
    delete form.dataset.sending;
    var button = form.querySelector("button[type=submit]");
    if (button) button.removeAttribute("disabled");
  }

  // Guard against double submission: a tired finger should not post a reply twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    var button = form.querySelector("button[type=submit]");
    if (!button) return;
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    button.setAttribute("disabled", "");
    if (form.classList.contains("react-form") && form.dataset.api && window.fetch) {
      event.preventDefault();
      sendReaction(form);
      return;
    }
    if (form.classList.contains("reply-form")) {
      announce(say("js-sending-reply"));
      if (form.dataset.api && window.fetch) {
        event.preventDefault();
        sendReply(form);
      }
    }
  });

  // Coming back with the back button restores the page from cache: re-enable forms.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(enable);
  });

  // ---- Posts built from websocket events and API answers ----

  // Times read "3 hours ago", with the full time in the reader's zone on hover, as the
  // server renders them (kindred_web::clock); a page left open keeps its words current.
  var zone = document.documentElement.getAttribute("data-time-zone") || "UTC";

  function ago(n, unit) {
    return say("js-" + unit + "s-ago-" + (n === 1 ? "one" : "other"), { n: n });
  }

  // The words for a time up to a week old; older times keep the server's date.
  function relativeWords(stamp, now) {
    var minutes = Math.floor((now - Date.parse(stamp)) / 60000);
    if (isNaN(minutes)) return null;
    if (minutes < 1) return say("js-just-now");
    if (minutes < 60) return ago(minutes, "minute");
    var hours = Math.floor(minutes / 60);
    if (hours < 24) return ago(hours, "hour");
    var days = Math.floor(hours / 24);
    return days < 7 ? ago(days, "day") : null;
  }

  function fullLocal(stamp) {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || "en-GB", {
        timeZone: zone, weekday: "long", day: "numeric", month: "long", year: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      }).format(new Date(stamp));
    } catch (e) {
      return String(stamp || "");
    }
  }

  function timeNode(stamp) {
    var node = document.createElement("time");
    node.setAttribute("datetime", stamp);
    node.setAttribute("data-relative", "");
    node.title = fullLocal(stamp);
    node.textContent = relativeWords(stamp, Date.now()) || fullLocal(stamp);
    return node;
  }

  window.setInterval(function () {
    var now = Date.now();
    document.querySelectorAll("time[data-relative]").forEach(function (node) {
      var words = relativeWords(node.getAttribute("datetime"), now);
      if (words && node.textContent !== words) node.textContent = words;
    });
  }, 60000);

  function authorNode(author) {
    if (!author) {
      var former = document.createElement("span");
      former.className = "muted";
      former.textContent = say("js-former-member");
      return former;
    }
    var link = document.createElement("a");
    link.href = "/u/" + encodeURIComponent(author.username);
    link.textContent = author.display_name;
    return link;
  }

  function reviewNote(post) {
    if (post.status !== "held" && post.status !== "removed") return null;
    var note = document.createElement("div");
    note.className = "review";
    note.setAttribute("role", "note");
    var head = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = say(post.status === "held" ? "js-awaiting-review" : "js-removed-by-moderator");
    head.appendChild(strong);
    if (post.status === "held") {
      head.appendChild(document.createTextNode(post.body != null
        ? " Only you and the moderators can see this post for now."
        : " Only its author and the moderators can see this post for now."));
    }
    note.appendChild(head);
    if (post.moderation_note) {
      var why = document.createElement("p");
      why.textContent = say("js-why", { note: post.moderation_note });
      note.appendChild(why);
    }
    return note;
  }

  // The words of a content note (`note-*` in the catalogue, as web/src/content_notes.rs).
  function noteWords(note) {
    return say("note-" + note.replace(/_/g, "-"));
  }

  // A post's body; behind "This post has a content note: … — show" when the reader folds
  // one of its notes away (the thread page names them in data-collapse-notes), as the
  // server renders it. The reader's own posts are never folded.
  function bodyNode(post) {
    if (post.deleted) {
      var gone = document.createElement("p");
      gone.className = "muted";
      gone.textContent = say("js-post-deleted");
      return gone;
    }
    var body = document.createElement("div");
    body.className = "post-body";
    body.innerHTML = post.body_html; // sanitised by the server (ammonia)
    var notes = post.content_notes || [];
    if (!notes.length) return body;
    var words = notes.map(function (n) { return noteWords(n); }).join(", ");
    var posts = document.getElementById("posts");
    var folded = ((posts && posts.dataset.collapseNotes) || "").split(",");
    var me = posts && posts.dataset.me;
    var own = !!(me && post.author && post.author.username === me);
    if (!own && notes.some(function (n) { return folded.indexOf(n) >= 0; })) {
      var details = document.createElement("details");
      details.className = "content-note";
      var summary = document.createElement("summary");
      summary.textContent = say("js-content-note-summary", { words: words });
      details.appendChild(summary);
      details.appendChild(body);
      return details;
    }
    var wrapper = document.createElement("div");
    wrapper.className = "content-note-open";
    var label = document.createElement("p");
    label.className = "content-note-label";
    label.textContent = say("js-content-note-label", { words: words });
    wrapper.appendChild(label);
    wrapper.appendChild(body);
    return wrapper;
  }

  function renderPost(post) {
    var article = document.createElement("article");
    article.className = "post";
    article.id = "p" + post.id;
    var header = document.createElement("header");
    header.className = "post-header";
    var author = document.createElement("span");
    author.className = "author";
    author.appendChild(authorNode(post.author));
    header.appendChild(author);
    header.appendChild(document.createTextNode(" · "));
    header.appendChild(timeNode(post.created_at));
    article.appendChild(header);
    fillPost(article, post);
    return article;
  }

  // Status, review note, body and "edited" marker of an article, from a post.
  function fillPost(article, post) {
    article.classList.toggle("post-held", post.status === "held");
    article.classList.toggle("post-removed", post.status === "removed");
    var header = article.querySelector(".post-header");
    if (post.edited_at && header && !header.querySelector(".edited")) {
      var edited = document.createElement("span");
      edited.className = "edited";
      edited.textContent = " " + say("js-edited");
      header.appendChild(edited);
    }
    var oldNote = article.querySelector(".review");
    if (oldNote) oldNote.remove();
    var oldBody = article.querySelector("details.content-note, .content-note-open, .post-body, .post-header ~ p.muted");
    var body = bodyNode(post);
    if (oldBody) oldBody.replaceWith(body);
    else if (header) header.after(body);
    else article.appendChild(body);
    var note = reviewNote(post);
    if (note) body.before(note);
    if (post.deleted) {
      article.querySelectorAll("details").forEach(function (d) { d.remove(); });
    }
    if (post.deleted || post.status !== "published") {
      var bar = article.querySelector(".reactions");
      if (bar) bar.remove();
    }
  }

  // A moderator's page carries the remove form as a template: a reply that arrives live
  // gets its own copy, as the server gives every post on the page; a removed or deleted
  // post loses it.
  var removeTemplate = document.getElementById("remove-post-template");

  function moderatorControls(article, post) {
    var next = article.nextElementSibling;
    var controls = next && next.classList.contains("mod-remove") ? next : null;
    if (post.deleted || post.status === "removed") {
      if (controls) controls.remove();
      return;
    }
    if (controls || !removeTemplate) return;
    controls = removeTemplate.content.firstElementChild.cloneNode(true);
    var form = controls.querySelector("form");
    form.setAttribute("action", form.getAttribute("action").replace("POST_ID", post.id));
    var reason = controls.querySelector("input[name=reason]");
    reason.id = "remove-" + post.id;
    controls.querySelector("label").setAttribute("for", reason.id);
    article.after(controls);
  }

  // The thread page carries the Edit and Report forms as templates (the post id reads
  // POST_ID): a post that arrives without a reload gets the one the server would have given
  // it. Edit needs the markdown source, which only the author's own copy of a post carries.
  function fromTemplate(id, post) {
    var template = document.getElementById(id);
    if (!template) return null;
    var copy = template.content.firstElementChild.cloneNode(true);
    copy.querySelectorAll("[action], [id], [for], [data-api]").forEach(function (node) {
      ["action", "id", "for", "data-api"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value) node.setAttribute(name, value.replace("POST_ID", post.id));
      });
    });
    return copy;
  }

  // "Reply to this" after a published reply that arrives without a reload (after the
  // moderator's remove form, which must stay right after the post).
  function quoteControls(article, post) {
    var template = document.getElementById("quote-template");
    if (!template || post.deleted || post.status !== "published") return;
    var copy = template.content.firstElementChild.cloneNode(true);
    var link = copy.querySelector("a.quote-link");
    var name = post.author ? post.author.display_name : say("js-former-member");
    link.setAttribute("href", link.getAttribute("href").replace("POST_ID", post.id));
    link.dataset.quoteId = post.id;
    link.dataset.quoteAuthor = name;
    var hidden = link.querySelector(".visually-hidden");
    if (hidden) hidden.textContent = " " + say("js-post-by", { name: name });
    var next = article.nextElementSibling;
    (next && next.classList.contains("mod-remove") ? next : article).after(copy);
  }

  function readerControls(container, article, post) {
    if (post.deleted || article.querySelector(".post-edit, .post-report")) return;
    var mine = post.author && post.author.username === container.dataset.me;
    var controls = null;
    if (mine && typeof post.body === "string") {
      controls = fromTemplate("edit-post-template", post);
      if (controls) controls.querySelector("textarea").value = post.body;
    } else if (!mine) {
      controls = fromTemplate("report-post-template", post);
    }
    if (controls) article.appendChild(controls);
  }

  // A published post gets the reaction buttons the server gives every post it renders
  // (from the page's template, which only signed-in readers' pages carry).
  function reactionControls(article, post) {
    if (post.deleted || post.status !== "published" || article.querySelector(".reactions")) return;
    var bar = fromTemplate("reactions-template", post);
    if (!bar) return;
    var body = article.querySelector(".post-body");
    if (body) body.after(bar); else article.appendChild(bar);
    showReactions(post.id, post.reactions);
  }

  function upsertPost(container, post, announceNew) {
    var existing = document.getElementById("p" + post.id);
    if (existing) {
      fillPost(existing, post);
      moderatorControls(existing, post);
      reactionControls(existing, post);
      readerControls(container, existing, post);
      return false;
    }
    if (post.deleted) return false;
    var article = renderPost(post);
    container.appendChild(article);
    moderatorControls(article, post);
    quoteControls(article, post);
    reactionControls(article, post);
    readerControls(container, article, post);
    if (announceNew) {
      var who = post.author ? post.author.display_name : say("js-former-member");
      announce(say("js-new-reply", { name: who }));
    }
    return true;
  }

  // ---- Reactions ----

  // Sets a post's buttons from `reactions` ({with_you: {count, mine}, …}). Websocket
  // events carry counts only (`mine` absent): they leave the pressed state alone.
  function showReactions(postId, reactions) {
    var bar = document.querySelector("#p" + postId + " .reactions");
    if (!bar || !reactions) return;
    bar.querySelectorAll("button.reaction").forEach(function (button) {
      var tally = reactions[button.dataset.kind];
      if (!tally) return;
      var count = button.querySelector(".reaction-count");
      if (count) count.textContent = String(tally.count);
      if (typeof tally.mine === "boolean") {
        button.setAttribute("aria-pressed", tally.mine ? "true" : "false");
        var on = button.form && button.form.querySelector("input[name=on]");
        if (on) on.value = tally.mine ? "false" : "true";
      }
    });
  }

  // The button's form sent to the API instead (PUT adds, DELETE takes back): the page
  // stays where it is. A lapsed session falls back to the form post.
  function sendReaction(form) {
    var on = form.querySelector("input[name=on]").value === "true";
    var fallback = function () { form.submit(); };
    fetch(form.dataset.api, {
      method: on ? "PUT" : "DELETE",
      credentials: "same-origin",
      headers: { "x-csrf-token": csrfOf(form), "accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) { fallback(); return; }
      return response.json().then(function (answer) {
        enable(form);
        if (!response.ok) {
          announce((answer.error && answer.error.message) || say("js-reaction-not-saved"));
          return;
        }
        var article = form.closest("article.post");
        if (article) showReactions(article.id.slice(1), answer.reactions);
        announce(say(on ? "js-reaction-added" : "js-reaction-taken-back"));
      });
    }).catch(fallback);
  }

  // ---- No-reload replies ----

  function showReplyError(form, message) {
    var field = form.querySelector("textarea[name=body]");
    var box = field ? field.closest(".field") : null;
    var error = form.querySelector(".js-error");
    if (!error) {
      error = document.createElement("p");
      error.className = "error js-error";
      error.id = "reply-js-error";
      if (box) box.insertBefore(error, field); else form.prepend(error);
    }
    error.textContent = message;
    if (box) box.classList.add("has-error");
    if (field) {
      field.setAttribute("aria-invalid", "true");
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(error.id) < 0) described.push(error.id);
      field.setAttribute("aria-describedby", described.join(" "));
    }
    announce(message);
  }

  function clearReplyError(form) {
    var error = form.querySelector(".js-error");
    if (error) error.remove();
    var field = form.querySelector("textarea[name=body]");
    if (!field) return;
    field.removeAttribute("aria-invalid");
    var box = field.closest(".field");
    if (box) box.classList.remove("has-error");
  }

  // ---- Reply drafts ----

  // A half-written reply survives leaving or reloading the page: kept in this browser's
  // localStorage per thread (the form's action) until it is sent. Drafts can hold health
  // details, so signing out forgets them all. A refused form post comes back with its text
  // (the server keeps it), so a draft may be dropped as soon as the form is sent.
  var DRAFT_PREFIX = "kindred-draft:";

  function draftKey(form) {
    return DRAFT_PREFIX + form.getAttribute("action");
  }

  function forgetDraft(form) {
    try { window.localStorage.removeItem(draftKey(form)); } catch (e) { /* storage off */ }
  }

  document.querySelectorAll("form.reply-form").forEach(function (form) {
    var field = form.querySelector("textarea[name=body]");
    if (!field) return;
    try {
      var saved = window.localStorage.getItem(draftKey(form));
      if (saved && !field.value) field.value = saved;
      field.addEventListener("input", function () {
        try {
          if (field.value) window.localStorage.setItem(draftKey(form), field.value);
          else forgetDraft(form);
        } catch (e) { /* full or off: the draft is simply not kept */ }
      });
    } catch (e) { /* storage off: drafts are not kept */ }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var action = form.getAttribute("action") || "";
    if (action === "/logout") {
      try {
        var keys = [];
        for (var i = 0; i < window.localStorage.length; i++) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf(DRAFT_PREFIX) === 0) keys.push(key);
        }
        keys.forEach(function (key) { window.localStorage.removeItem(key); });
      } catch (e) { /* storage off */ }
    } else if (form.classList.contains("reply-form") && !(form.dataset.api && window.fetch)) {
      forgetDraft(form);
    }
  });

  // The reply's JSON: its text, and the post it answers when "Reply to this" chose one.
  function replyRequest(form, field) {
    var request = { body: field.value };
    var replyTo = form.querySelector("input[name=reply_to]");
    if (replyTo && replyTo.value) request.reply_to = replyTo.value;
    request.content_notes = [];
    form.querySelectorAll("input[name^=note_]:checked").forEach(function (box) {
      request.content_notes.push(box.name.slice("note_".length));
    });
    return request;
  }

  function sendReply(form) {
    var field = form.querySelector("textarea[name=body]");
    var fallback = function () { forgetDraft(form); form.submit(); };
    var headers = { "content-type": "application/json", "x-csrf-token": csrfOf(form), "accept": "application/json" };
    var key = keyField(form);
    if (key && key.value) headers["idempotency-key"] = key.value;
    // Present once the advice nudge was shown: "Post anyway".
    var acknowledged = !!form.querySelector("input[name=acknowledge_advice]");
    fetch(form.dataset.api, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(Object.assign(replyRequest(form, field), { acknowledge_advice: acknowledged }))
    }).then(function (response) {
      // A lapsed session or CSRF cookie: the ordinary form post renews it and keeps the text.
      if (response.status === 401 || response.status === 403) { fallback(); return; }
      return response.json().then(function (answer) {
        if (!response.ok) {
          enable(form);
          showReplyError(form, (answer.error && answer.error.message) || say("js-reply-not-posted"));
          return;
        }
        // Not posted: the advice nudge. The form post shows it as without JS, text kept.
        if (answer.advice && !answer.post) { form.submit(); return; }
        var post = answer.post;
        // A post that suggests the member may be at risk: the crisis lines first, as without JS.
        if (answer.care) {
          location.assign("/me/care?next=" + encodeURIComponent("/t/" + post.thread_id + "#p" + post.id));
          return;
        }
        var container = document.getElementById("posts");
        if (container) upsertPost(container, post, false);
        field.value = "";
        var replyTo = form.querySelector("input[name=reply_to]");
        if (replyTo) replyTo.value = "";
        form.querySelectorAll("input[name^=note_]").forEach(function (box) { box.checked = false; });
        forgetDraft(form);
        // The next reply is a new request.
        if (key) key.value = freshKey();
        clearReplyError(form);
        clearPreview(form);
        enable(form);
        announce(say(post.status === "held" ? "js-reply-held" : "js-reply-posted"));
        var shown = document.getElementById("p" + post.id);
        if (shown) shown.scrollIntoView({ block: "nearest" });
      });
    }).catch(fallback);
  }

  // ---- Markdown preview ----

  function clearPreview(form) {
    var preview = form.querySelector(".preview");
    if (preview) { preview.hidden = true; preview.textContent = ""; }
  }

  function addPreview(form) {
    var field = form.querySelector("textarea[name=body]");
    var submit = form.querySelector("button[type=submit]");
    if (!field || !submit) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = say("js-preview");
    var preview = document.createElement("div");
    preview.className = "preview post-body";
    preview.id = field.id + "-preview";
    preview.hidden = true;
    preview.setAttribute("role", "region");
    preview.setAttribute("aria-live", "polite");
    preview.setAttribute("aria-label", say("js-preview"));
    button.setAttribute("aria-controls", preview.id);
    submit.before(button, " ");
    form.appendChild(preview);
    button.addEventListener("click", function () {
      var data = new URLSearchParams();
      data.set("csrf_token", csrfOf(form));
      data.set("body", field.value);
      fetch("/preview", { method: "POST", credentials: "same-origin", body: data })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          preview.hidden = false;
          if (answer.body_html !== undefined) {
            preview.innerHTML = answer.body_html; // sanitised by the server (ammonia)
            var suggested = answer.suggested_content_notes || [];
            if (suggested.length) {
              // Only ever a suggestion: the author ticks a box or not.
              var hint = document.createElement("p");
              hint.className = "content-note-suggestion";
              hint.textContent = say("js-needs-content-note", {
                notes: suggested.map(function (s) { return s.label; }).join(", ")
              });
              preview.prepend(hint);
            }
          } else {
            preview.textContent = (answer.error && answer.error.message) || say("js-nothing-to-preview");
          }
        })
        .catch(function () {
          preview.hidden = false;
          preview.textContent = say("js-preview-unavailable");
        });
    });
  }

  document.querySelectorAll("form.reply-form, form.new-thread-form").forEach(addPreview);

  // ---- Live updates over the websocket ----

  // One connection per page: subscribes to `topics`, hands events to `onEvent`, and on a
  // dropped connection reconnects with growing delays, resuming after the last event.
  // `after` is the newest event when the server read the page (its data-after);
  // `onConnect`, if given, runs once subscribed (for state read without a data-after).
  function live(topics, after, onEvent, onResync, onConnect) {
    if (!window.WebSocket || topics.length === 0) return;
    var lastEventId = after || null;
    var delay = 1000;
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/ws";
    function connect() {
      var socket = new WebSocket(url);
      socket.addEventListener("message", function (message) {
        var data;
        try { data = JSON.parse(message.data); } catch (e) { return; }
        if (data.type === "hello") {
          delay = 1000;
          topics.forEach(function (topic) {
            socket.send(JSON.stringify({ type: "subscribe", topic: topic }));
          });
          // Replays what happened since the page was read or the last event seen, so
          // nothing slips between them and the subscriptions.
          if (lastEventId === null) lastEventId = data.last_event_id;
          socket.send(JSON.stringify({ type: "resume", last_event_id: lastEventId }));
          // From here on nothing is missed (the resume replays what follows the hello), which
          // the browser tests wait for instead of sleeping.
          document.documentElement.setAttribute("data-live", "connected");
          if (onConnect) onConnect();
        } else if (data.type === "event") {
          lastEventId = data.event_id;
          onEvent(data);
        } else if (data.type === "resync") {
          lastEventId = data.last_event_id;
          onResync();
        }
      });
      socket.addEventListener("close", function () {
        var wait = delay + Math.floor(Math.random() * 500);
        delay = Math.min(delay * 2, 30000);
        setTimeout(connect, wait);
      });
    }
    connect();
  }

  // Thread page: new replies appear, edits and deletions update in place.
  var posts = document.querySelector("#posts[data-live-topic]");
  if (posts) {
    live([posts.dataset.liveTopic], posts.dataset.after, function (event) {
      if (event.kind === "post.reactions_changed" && event.data) {
        showReactions(event.data.post_id, event.data.reactions);
        return;
      }
      var post = event.data && event.data.post;
      if (!post) return;
      if (event.kind === "post.created" || event.kind === "post.status_changed") {
        upsertPost(posts, post, true);
      } else if (event.kind === "post.edited" || event.kind === "post.deleted") {
        var article = document.getElementById("p" + post.id);
        if (article) {
          fillPost(article, post);
          moderatorControls(article, post);
        }
        if (event.kind === "post.deleted") announce(say("js-a-post-was-deleted"));
      }
    }, function () {
      announce(say("js-updates-missed"));
    });
  }

  // Moderation queue: a notice with the number of new items, linking to a reload.
  var queue = document.getElementById("queue-live");
  if (queue) {
    var fresh = {};
    var count = 0;
    var showNotice = function () {
      queue.textContent = "";
      var text = document.createElement("p");
      text.className = "alert alert-ok";
      text.appendChild(document.createTextNode(count === 1 ? "1 new item — " : count + " new items — "));
      var link = document.createElement("a");
      link.href = location.pathname + location.search;
      link.textContent = say("js-show");
      text.appendChild(link);
      queue.appendChild(text);
    };
    // Another moderator decided an item shown here: say so beside its form.
    var markDecided = function (postId) {
      var shown = document.getElementById("p" + postId);
      var item = shown ? shown.closest(".queue-item") : null;
      if (!item || item.querySelector(".decided-elsewhere")) return;
      var note = document.createElement("p");
      note.className = "alert alert-ok decided-elsewhere";
      note.setAttribute("role", "status");
      note.textContent = say("js-item-decided");
      item.insertBefore(note, item.querySelector("form"));
    };
    var missed = function () {
      count = Math.max(count, 1);
      showNotice();
    };
    var topics = (queue.dataset.liveTopics || "").split(" ").filter(Boolean);
    live(topics, queue.dataset.after, function (event) {
      var post = event.data && event.data.post;
      var postId = post ? post.id : null;
      // A member may be at risk: a new wellbeing item, not yet among those shown.
      if (event.kind === "moderation.wellbeing") {
        if (!postId || fresh["w" + postId] || document.querySelector(".wellbeing-item [data-post='" + postId + "']")) return;
        fresh["w" + postId] = true;
        count += 1;
        showNotice();
        return;
      }
      if (event.kind === "moderation.decided" && postId) {
        markDecided(postId);
        return;
      }
      var queued = event.kind === "moderation.queued" ||
        (event.kind === "post.created" && post && post.status === "held");
      if (!queued || !postId || fresh[postId] || document.getElementById("p" + postId)) return;
      fresh[postId] = true;
      count += 1;
      showNotice();
    }, missed);
  }

  // Header: the unread count follows new notifications as they arrive.
  var inbox = document.querySelector("a[data-unread]");
  if (inbox) {
    var unread = parseInt(inbox.dataset.unread, 10) || 0;
    var showCount = function () {
      inbox.textContent = say("js-notifications");
      if (unread > 0) {
        var badge = document.createElement("span");
        badge.className = "badge";
        badge.setAttribute("aria-hidden", "true");
        badge.textContent = String(unread);
        var words = document.createElement("span");
        words.className = "visually-hidden";
        words.textContent = say("js-unread", { n: unread });
        inbox.appendChild(document.createTextNode(" "));
        inbox.appendChild(badge);
        inbox.appendChild(words);
      }
    };
    live(["user"], null, function (event) {
      // A survey that opened to this member is an invitation waiting in the inbox.
      if (event.kind === "survey.opened") {
        unread += 1;
        inbox.dataset.unread = String(unread);
        showCount();
        return;
      }
      var note = event.kind === "notification.created" && event.data && event.data.notification;
      if (!note) return;
      unread += 1;
      inbox.dataset.unread = String(unread);
      showCount();
      // On a live thread page the reply itself is announced; elsewhere, the notification.
      if (!posts) announce(say("js-new-notification", { thread: note.thread_title }));
    }, function () {});
  }

  // Header: moderators' open-queue count follows their queues. Any queue event re-reads
  // the count (an item re-screened or decided elsewhere changes it in ways the event
  // alone does not tell); so does (re)connecting, for what happened in between.
  var queueLink = document.querySelector("a[data-open-queue]");
  if (queueLink && window.fetch) {
    var showOpen = function (open) {
      if (String(open) === queueLink.dataset.openQueue) return;
      queueLink.dataset.openQueue = String(open);
      queueLink.textContent = say("js-moderation") + " ";
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = String(open);
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = say(open === 1 ? "js-open-items-one" : "js-open-items-other", { n: open });
      queueLink.appendChild(badge);
      queueLink.appendChild(words);
    };
    var refreshOpen = function () {
      fetch("/api/v1/mod/queue/count", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer && typeof answer.open === "number") showOpen(answer.open); })
        .catch(function () {});
    };
    var queueTopics = (queueLink.dataset.liveTopics || "").split(" ").filter(Boolean);
    live(queueTopics, null, function (event) {
      if (event.kind && event.kind.indexOf("moderation.") === 0) refreshOpen();
    }, refreshOpen, refreshOpen);
  }

  // A refused form comes back with its errors: focus moves to the first field in error (or
  // to the form's error summary), so it is on screen and a screen reader reads it first.
  var firstError = document.querySelector("[aria-invalid=true]") ||
    document.querySelector(".alert-error");
  if (firstError) {
    if (!firstError.matches("input, textarea, select")) firstError.setAttribute("tabindex", "-1");
    firstError.focus();
  }
})();

// "Reply to this": fills the reply form in place with a quote of the post (as the server
// does for the link without JavaScript) and remembers which post the reply answers.
(function () {
  "use strict";

  var EXCERPT_CHARS = 160;

  function excerpt(text) {
    var words = text.split(/\s+/).filter(Boolean);
    var out = "";
    for (var i = 0; i < words.length; i++) {
      if ((out + " " + words[i]).length > EXCERPT_CHARS) return out + "…";
      out = out ? out + " " + words[i] : words[i];
    }
    return out;
  }

  // Brackets and other punctuation in a display name must not end the link early.
  function escapeName(name) {
    return name.replace(/[\\\[\]*`<>!&]/g, "\\$&");
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a.quote-link") : null;
    if (!link) return;
    var form = document.querySelector("form.reply-form");
    var field = form ? form.querySelector("textarea[name=body]") : null;
    var replyTo = form ? form.querySelector("input[name=reply_to]") : null;
    var article = document.getElementById("p" + link.dataset.quoteId);
    var body = article ? article.querySelector(".post-body") : null;
    if (!field || !replyTo || !body) return;
    event.preventDefault();
    var quote = "> [" + escapeName(link.dataset.quoteAuthor || "") + " wrote](/p/" +
      link.dataset.quoteId + "):\n> " + excerpt(body.textContent) + "\n\n";
    field.value = quote + field.value;
    replyTo.value = link.dataset.quoteId;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  });
})();

// `@mention` suggestions in the reply box, operable from the keyboard alone. A textarea
// may not take the combobox role, so it keeps its own (textbox) with the combobox
// pattern's other parts: `aria-autocomplete="list"`, `aria-controls` naming the listbox of
// suggestions, `aria-expanded`-like state through the listbox's `hidden`, and
// `aria-activedescendant` on the option chosen with the arrow keys. Enter or Tab takes
// it, Escape closes the list; the count is announced in the page's live region.
(function () {
  "use strict";

  var form = document.querySelector("form.reply-form");
  var field = form ? form.querySelector("textarea[name=body]") : null;
  var thread = form && form.dataset.api ? (form.dataset.api.match(/threads\/(\d+)\//) || [])[1] : null;
  if (!field || !thread || !window.fetch) return;

  var list = document.createElement("ul");
  list.id = "mention-suggestions";
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", say("js-members-to-mention"));
  list.hidden = true;
  field.insertAdjacentElement("afterend", list);
  field.setAttribute("aria-autocomplete", "list");
  field.setAttribute("aria-controls", list.id);

  var timer = null;
  var asked = 0;
  var active = -1;
  var users = [];

  function announce(text) {
    var live = document.getElementById("live");
    if (live) live.textContent = text;
  }

  // The page's words for `key` (the words script, web/src/script_words.rs, renders them
  // from the catalogue in the page's language), each `{name}` filled in from `args`.
  function say(key, args) {
    var words = window.KINDRED_WORDS || {};
    var text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : key;
    Object.keys(args || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(args[name]));
    });
    return text;
  }

  // The `@name` being typed just before the caret, if any.
  function typed() {
    var before = field.value.slice(0, field.selectionStart);
    var match = before.match(/(^|[^A-Za-z0-9_@])@([A-Za-z0-9_]{1,32})$/);
    return match ? { start: before.length - match[2].length - 1, prefix: match[2] } : null;
  }

  function close() {
    list.hidden = true;
    list.textContent = "";
    users = [];
    active = -1;
    field.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) field.setAttribute("aria-activedescendant", list.children[index].id);
    else field.removeAttribute("aria-activedescendant");
  }

  function show(found) {
    close();
    users = found;
    if (!users.length) return;
    users.forEach(function (user, i) {
      var option = document.createElement("li");
      option.id = "mention-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.textContent = user.display_name;
      var handle = document.createElement("span");
      handle.className = "muted";
      handle.textContent = " @" + user.username;
      option.appendChild(name);
      option.appendChild(handle);
      // mousedown, not click: the textarea keeps its focus and caret.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(i);
      });
      list.appendChild(option);
    });
    list.hidden = false;
    highlight(0);
    announce(say("js-mention-choices", { n: users.length }));
  }

  function choose(index) {
    var at = typed();
    var user = users[index];
    if (!at || !user) { close(); return; }
    var after = field.value.slice(field.selectionStart);
    var inserted = "@" + user.username + " ";
    field.value = field.value.slice(0, at.start) + inserted + after;
    var caret = at.start + inserted.length;
    field.setSelectionRange(caret, caret);
    close();
    announce(say("js-mentioned", { name: user.display_name }));
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function ask(prefix) {
    var mine = ++asked;
    var url = "/api/v1/users/suggest?q=" + encodeURIComponent(prefix) + "&thread=" + thread;
    fetch(url, { credentials: "same-origin", headers: { "accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { users: [] }; })
      .then(function (answer) {
        // An older answer arriving late must not replace a newer one.
        if (mine === asked && typed()) show(answer.users || []);
      })
      .catch(close);
  }

  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    var at = typed();
    if (!at) { asked++; close(); return; }
    timer = window.setTimeout(function () { ask(at.prefix); }, 150);
  });

  field.addEventListener("keydown", function (event) {
    if (list.hidden || !users.length) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % users.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight((active - 1 + users.length) % users.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  field.addEventListener("blur", function () { window.setTimeout(close, 100); });
})();
