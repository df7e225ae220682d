# Kindred's interface in English. Every key here is also in es/main.ftl (a test checks).
# Values keep no leading or trailing spaces: Fluent trims them, so templates add them.

## Chrome: header, navigation, footer
skip-to-content = Skip to content
nav-main = Main
nav-insights = Insights
nav-sign-out = Sign out
nav-communities = Communities
nav-search = Search
nav-new-thread = New thread
nav-notifications = Notifications
nav-messages = Messages
nav-moderation = Moderation
nav-admin = Admin
nav-your-profile = Your profile
nav-sign-in = Sign in
nav-join = Join Kindred
footer-disclaimer = Kindred is a peer-support community. It does not replace advice from your care team. In an emergency, call your local emergency number.
footer-language = Language
footer-language-change = Change

## Counts
count-unread = { $count } unread
count-open-items = { $count ->
    [one] { $count } open item
   *[other] { $count } open items
}
count-members = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
count-posts = { $count ->
    [one] { $count } post
   *[other] { $count } posts
}
count-new = { $count } new

## Shared pieces
field-optional = (optional)
form-check = Please check the form.
former-member = a former member
badge-admin = Admin
badge-moderator = Moderator
kind-condition = Condition community
kind-caregiver = For caregivers
kind-general = General
community-private = Private
community-needs-approval = joining needs approval
threads-none = No threads yet.
thread-pinned = Pinned
thread-locked = Locked
thread-by = by
thread-in = in
thread-last-post = last post
since-last-visit = since your last visit
start-thread = Start a thread
search-button = Search

## Posts
post-edited = edited
post-position = Post { $at } of { $of }
post-held = Awaiting review.
post-held-own = Only you and the moderators can see this post for now.
post-held-other = Only its author and the moderators can see this post for now.
post-why = Why:
post-held-what-to-do = What you can do: check the reason above and, if it applies, change the wording (for example remove links, contact details or product names). A moderator will look at it soon either way.
post-removed = Removed by a moderator.
post-deleted = This post was deleted.
post-blocked-show = You blocked this member — show
post-save = Save for later
post-saved-link = Your saved posts
post-support = Support this post
post-edit = Edit your post
post-edit-label = Your post
post-edit-save = Save changes
post-report = Report this post
post-report-label = What is wrong with it?
post-report-send = Send report to the moderators

## Home
home-title = Home
home-search-label = Search Kindred
home-search-find = Find communities and posts
home-search-placeholder = For example: my husband has glioblastoma
home-welcome-back = Welcome back, { $name }
home-open-queue = Open the moderation queue
home-pending = Waiting for a moderator to approve your request to join:
home-new-for-you = New for you
home-all-notifications = All notifications
home-your-communities = Your communities
home-none-joined = You have not joined a community yet.
home-find-one = Find one that fits you
home-recent-threads = Recent threads
home-suggested = Communities you might find helpful
home-suggested-matched = Matched to the role and conditions in
home-suggested-profile = your profile
home-intro-title = You are not alone in this
home-intro-lead = Kindred is a place for people living with cancer, and for the people who care for them, to talk with others who understand. Each community is looked after by moderators, and you choose what others can see about you.
home-filter-directory = Filter the directory

## Community directory
dir-filter-label = Filter communities
dir-kind = Kind
dir-all-kinds = All kinds
dir-kind-condition = Condition communities
dir-condition = Condition
dir-all-conditions = All conditions
dir-language = Language
dir-all-languages = All languages
dir-filter = Filter
dir-none-match = No community matches these filters.
dir-show-all = Show all

## Community page
community-or = or
community-join-kindred = join Kindred
community-to-take-part = to take part.
community-leave = Leave community
community-pending = Your request to join is waiting for a moderator.
community-banned = You cannot take part in this community.
community-ask-to-join = Ask to join
community-join = Join community
community-mod-queue = Moderation queue
community-members-bans = Members and bans
community-modlog = Moderation log
community-threads = Threads
community-members-only = This is a private community: only its members can read its threads. Ask to join and one of its moderators will decide.
community-older-threads = Older threads
community-rules = Community rules
community-no-rules = No rules written yet.

## Thread page
thread-breadcrumb = Breadcrumb
thread-started-by = Started by
thread-jump-unread = Jump to first unread
thread-pages = Pages of this thread
thread-range = Posts { $first }–{ $last } of { $total }
thread-earlier = Earlier posts
thread-later = Later posts
thread-locked-note = This thread is locked: replies are closed.
thread-locked-moderator = As a moderator you can still reply.
thread-reply = Reply
thread-your-reply = Your reply
thread-reply-hint = Markdown works: *italic*, **bold**, lists and links.
thread-post-reply = Post reply
thread-to-reply = to reply.
thread-join = Join
thread-reply-to-this = Reply to this
thread-post-by = post by
thread-pin = Pin thread
thread-unpin = Unpin thread
thread-lock = Lock: close replies
thread-unlock = Unlock: allow replies
thread-mod-tools = Moderator tools
remove-post = Remove this post
remove-post-moderator = (moderator)
remove-post-reason = Reason (the author sees it; it goes in the moderation log)
remove-post-button = Remove post

## New thread
new-thread-join-first = Join a community first:
new-thread-browse = browse communities
new-thread-community = Community
new-thread-title = Title
new-thread-title-hint = A short summary others will see in the list.
new-thread-message = Your message
new-thread-message-hint = Markdown works. Please do not share anyone's contact details.
new-thread-submit = Start thread

## Sign in and registration
field-username = Username
field-password = Password
field-display-name = Display name
field-email = Email
login-forgot = Forgot your password?
login-new-here = New here?
login-create-account = Create an account
register-lead = You choose what others see about you. You can change it later in your profile.
register-username-hint = 3 to 32 characters: letters, digits and underscores. Others see it.
register-password-hint = At least 10 characters. A few unrelated words work well.
register-display-name-hint = Shown beside your posts. It does not need to be your real name.
register-email-hint = Only to recover your account; never shown.
register-submit = Create account
register-already = Already a member?

## Error pages
error-page-404-title = Page not found
error-page-404-lead = We could not find that page. It may have moved, or it may be in a private community.
error-page-403-title = Not allowed
error-page-403-lead = You do not have access to this.
error-page-401-title = Please sign in
error-page-401-lead = You need to sign in to see this.
error-page-429-title = Please wait a moment
error-page-429-lead = There were too many attempts.
error-page-4xx-title = Something is not right
error-page-4xx-lead = The request could not be used.
error-page-5xx-title = Something went wrong
error-page-5xx-lead = It is our fault, not yours. Please try again in a little while.
error-page-home = Go to the home page
error-page-browse = Browse communities

## Times
time-just-now = just now
time-minutes-ago = { $count ->
    [one] { $count } minute ago
   *[other] { $count } minutes ago
}
time-hours-ago = { $count ->
    [one] { $count } hour ago
   *[other] { $count } hours ago
}
time-days-ago = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}

## API errors (`error.message` by `code`; English answers keep the server's own message)
error-unauthenticated = sign in first
error-invalid-credentials = wrong username or password
error-invalid-token = the session has expired or is not valid; sign in again
error-not-found = not found
error-conflict = that conflicts with something that already exists
error-post-not-published = the post is not published
error-rejected = the content was refused
error-idempotency-key-reused = this Idempotency-Key was already used for a different request
error-payload-too-large = the request body is too large
error-method-not-allowed = this method is not allowed here
error-unsupported-media-type = send JSON (Content-Type: application/json)
error-rate-limited = too many attempts; try again later
error-unavailable = the service is busy; try again in a moment
error-storage-full = the server is out of storage; try again later
error-internal = something went wrong on our side
error-csrf-failed = this form has expired; reload the page and try again
error-forbidden = you are not allowed to do this
error-invalid-json = the request body is not valid JSON for this endpoint
error-invalid-query = the query string is not valid
error-invalid-form = the form could not be read
error-invalid-field = { $field } is not valid
error-status-400 = the request could not be used
error-status-403 = you are not allowed to do this
error-status-409 = that conflicts with the current state
error-status-4xx = the request could not be used
error-status-5xx = something went wrong on our side

notifications-surveys-heading = Surveys for you
notifications-survey-new = New
notifications-survey-invite = { $community } invites you to a research survey:
notifications-survey-closes = Open until
survey-draft-audience = Who is invited
survey-draft-audience-hint = Every member of the community who opted in to research is invited, unless you limit it here to one role or one condition from their profile (a condition tag such as lung-cancer).
survey-draft-audience-role = Role
survey-draft-audience-any-role = Any role
survey-draft-audience-condition = Condition tag (optional)
survey-audience-patient = Patients
survey-audience-caregiver = Caregivers
survey-audience-bereaved = Bereaved members
survey-audience-supporter = Supporters
survey-audience-clinician = Clinicians
## errors: a held or refused post's note to its author (`plain_words::author_note`), in the post's language
held-detail-phone = a phone number
held-detail-email = an e-mail address
held-detail-ssn = a social security number
held-detail-record-number = a record, insurance or account number
held-detail-birth-date = a date of birth
held-detail-address = an address
held-detail-full-name = someone's full name
held-detail-code = a discount code
held-detail-referral-link = a referral link
held-detail-contact-app = an invitation to talk on a messaging app
held-detail-fundraising-link = a fundraising link
held-detail-shop-link = a link to a shop
held-detail-link = a link to an outside site
held-detail-sales-wording = sales wording
held-quoted = (“{ $text }”)
held-personal-detail = Your post includes { $what }{ $quoted }. Please remove it to keep you safe.
held-personal-general = Your post seems to include personal details. Please remove them to keep you safe.
held-promotion-found = Your post includes { $found }.
held-promotion-rule = Kindred does not allow advertising or selling: please remove links to shops, prices, discount codes and invitations to message you.
held-misinformation = Your post seems to present a health claim that goes against medical evidence as fact. If you are asking about it or sharing what someone told you, please say so.
held-needs-look = Your post needs a moderator's look before others can read it.
held-review-time = A moderator will look at it, usually within a day.

## mail (`kindred_web::mail`, in the recipient's language)
mail-footer = Kindred — moderated communities for people living with health conditions.
mail-hello = Hello { $name },
mail-not-you = If this was not you,
mail-reset-now = reset your password now
mail-reset-subject = Reset your Kindred password
mail-reset-asked = Someone (we hope you) asked to reset the password of your Kindred account.
mail-reset-open = To choose a new password, open this link within { $minutes } minutes:
mail-reset-link = Choose a new password
mail-reset-once = The link works once. Choosing a new password signs you out everywhere else.
mail-reset-ignore = If you did not ask for this, ignore this mail: your password stays as it is.
mail-changed-subject = Your Kindred password was changed
mail-changed-body = The password of your Kindred account was just changed, and every other session was signed out.
mail-confirm-subject-account = Confirm your e-mail address for Kindred
mail-confirm-subject-address = Confirm your new e-mail address for Kindred
mail-confirm-welcome = Welcome to Kindred. Confirm this is your address to start posting and joining communities.
mail-confirm-asked = Someone (we hope you) asked to use this address for a Kindred account.
mail-confirm-open = To confirm, open this link within { $hours } hours:
mail-confirm-link = Confirm this address
mail-confirm-once = The link works once. If you did not ask for this, ignore this mail: nothing changes.
mail-change-subject = A new e-mail address was given for your Kindred account
mail-change-asked = Someone signed in to your Kindred account asked to move it to a new e-mail address.
mail-change-nothing = Nothing changes unless the link sent to that address is opened.
mail-kind-reply = { $count ->
    [one] a new reply
   *[other] { $count } new replies
}
mail-kind-mentions = { $count ->
    [one] a new mention
   *[other] { $count } new mentions
}
mail-kind-watched = { $count ->
    [one] a new post in a thread you watch
   *[other] { $count } new posts in threads you watch
}
mail-kind-outcome = { $count ->
    [one] a moderator's decision about your post
   *[other] { $count } moderators' decisions about your posts
}
mail-kind-other = { $count ->
    [one] a new notification
   *[other] { $count } new notifications
}
mail-notifications-subject = You have { $what } on Kindred
mail-in-place = in { $community } / { $thread }
mail-choose = Choose which mail you get
mail-stop = Stop this kind of mail
mail-alert-subject = Urgent: someone in { $community } may be at risk
mail-alert-body = A new post in { $community } reads as if its author may be at high risk of harming themselves. Please look at it and reach out as soon as you can:
mail-alert-link = Open the wellbeing queue
mail-alert-stays = The post stays published. The wellbeing queue shows the sentences that raised the alert, a short guide to the risk levels and a message you can send.
mail-pm-subject = { $count ->
    [one] You have a new private message on Kindred
   *[other] You have { $count } new private messages on Kindred
}
mail-pm-from = from { $names }
mail-pm-read = Read and answer it
mail-pm-read-link = Read and answer it on Kindred
## page: settings (/me) and profile (/u/…)
settings-title = Your profile
settings-saved = Your profile is saved.
settings-signed-in-as = Signed in as
settings-site-admin = site admin
settings-member = member
member-since = member since
settings-see-public = See your profile as others see it
settings-email = Email (never shown):
settings-change-password = Change your password
settings-email-address = Your e-mail address
settings-privacy = Privacy, your data and erasing your account
settings-mail = Notification mail
settings-country = Your country
settings-about-you = About you
settings-your-role = Your role
settings-conditions = Conditions
settings-conditions-hint = Separated by commas, for example: lung-cancer, myeloma
settings-what-others-see = What others can see
settings-unticked-private = Unticked fields stay private: only you see them.
settings-show-role = Show my role
settings-show-conditions = Show my conditions
settings-show-bio = Show what I wrote about me
settings-save = Save profile
settings-none-yet = None yet.
standing-pending = waiting for a moderator to approve you
standing-banned = you cannot take part here
standing-moderator = you moderate it
standing-member = member
role-prefer-not = Prefer not to say
role-patient = I live with cancer
role-caregiver = I care for someone
role-bereaved = I lost someone
role-supporter = I support someone
role-clinician = I am a clinician
profile-in-memory = In memory of
profile-role = Role
profile-about = About
profile-private = This member keeps their profile private.
back-to-profile = Back to your profile

## page: search
search-label = Search posts you can read
search-help = Words, "exact phrases", -exclusions, community:slug, author:name, after:2026-01-01. Abbreviations like NSCLC or chemo find their long forms too.
search-fitting = Communities that may fit
search-count-about = About { $count } posts
search-content-note-hidden = This post has a content note: { $notes } — show
search-content-note = Content note: { $notes }
search-more-in-thread = { $count ->
    [one] and { $count } more post in this thread
   *[other] and { $count } more posts in this thread
}
search-more = More results

## page: notifications
notifications-you = you
notifications-none = Nothing yet. When someone replies to you, mentions you with @{ $username }, or posts in a thread you watch, you will see it here.
notifications-mark-read = Mark all as read
notifications-new = New
notifications-older = Older notifications

## page: saved posts
saved-title = Saved posts
saved-none = Nothing saved yet. Under any post, “Save for later” keeps it here for you; nobody else sees what you save.
saved-by = By
saved-when = saved

## page: country
country-default = The site's default ({ $name })
country-saved = Saved.
country-lead = If a post of yours suggests you are going through a very hard time, we show you the crisis lines of this country.
country-field = Country
country-save = Save country

## page: start here
start-title = Start here
start-lead = Welcome to Kindred. Here is a place to begin.
start-no-profile = You have not told us your role or conditions yet. Add them to
start-no-profile-after = (you choose who sees them), or tell us below.
start-change-profile = Change these in your profile
start-about-label = Or tell us in your own words what brings you here
start-find = Find communities
start-suggested = Communities for you
start-nothing-matched = Nothing matched yet.
start-browse-all = Browse every community
start-see-all = See every community
start-house-rules = Three house rules
start-rule-kind = Be kind.
start-rule-kind-why = Everyone here is carrying something heavy; disagree gently.
start-rule-experience = Share experience, not prescriptions.
start-rule-experience-why = Nothing here replaces your own care team.
start-rule-safe = Keep it safe.
start-rule-safe-why = No selling, and no phone numbers, addresses or other people's details.
start-say-hello = Say hello
start-introduce = Introduce yourself
start-introduce-hint = Tell others as much or as little as you like.

## page: medical-advice nudge (reply and new-thread forms)
advice-edit-or-post = You can edit your text below, or post it as it is.
advice-post-anyway = Post anyway

## page: removal reasons
reasons-title = Removal reasons
reasons-lead-before = The queue offers these reasons when you remove a post; its one-click
reasons-remove = Remove
reasons-lead-after = records the default. The author of the removed post reads the reason, and the public moderation log shows it.
reasons-none = No reasons yet: one-click removal records a plain reason for what screening found.
reasons-default = default
reasons-make-default = Make default
reasons-add-title = Add a reason
reasons-field = Reason, as the author will read it
reasons-field-default = Make it the default
reasons-add = Add reason
reasons-back-queue = Back to the queue

## page: password reset and change (/forgot, /reset, /me/password) and privacy (/me/privacy)
forgot-link-works = The link works for 30 minutes. Nothing arrived? Check your spam folder, or ask again in a few minutes.
forgot-lead = Enter the email address of your account and we will mail you a link to choose a new password.
forgot-send = Send me a link
forgot-back-sign-in = Back to sign in
reset-title = Choose a new password
password-new = New password
password-current = Current password
reset-save = Save and sign in
reset-signs-out = Saving signs you out on every other device.
reset-invalid = This link is invalid, already used or expired. Links work once, for 30 minutes, and stop working when the password changes.
ask-new-link = Ask for a new link
password-changed = Your password is changed. Every other device was signed out.
password-change = Change password
password-forgot-current = Forgot the current one?
password-reset-by-email = Reset it by email
choices-saved = Your choices are saved.
save-choices = Save choices
privacy-title = Privacy and your data
privacy-your-choices = Your choices
privacy-audience = Who sees the profile fields you share
privacy-audience-members = Any signed-in member
privacy-audience-communities = Members of a community I am in
privacy-audience-nobody = Nobody
privacy-discoverable = Members with the same condition may find me
privacy-insights = My posts may count towards de-identified insights (no names, small groups withheld)
privacy-history = Every choice you made
privacy-export-title = Download your data
privacy-export-lead = Everything Kindred holds about you, as one JSON file (three downloads an hour).
privacy-export = Download my data
privacy-erase-title = Erase your account
privacy-erase-lead = This cannot be undone. Your profile, messages and choices are deleted; you choose what happens to your posts.
privacy-your-posts = Your posts
privacy-posts-anonymize = Keep them, shown as a former member's
privacy-posts-delete = Delete them
privacy-password-confirm = Your password, to confirm
privacy-erase = Erase my account

## page: e-mail address (/me/email, /email/confirm)
email-yours-is = Your address is
email-none = You have not given an address. With one, you can get back in if you forget your password.
email-confirm-needed = Confirm your address to post and join communities: open the link we mailed you.
email-resend = Mail me a new link
email-change-title = Change your address
email-change-lead = We mail a link to the new address; it takes the place of the current one when you open the link. Your current address is told about the change.
email-new = New address
email-send = Send the link
email-confirm-title = Confirm your e-mail address
email-confirmed = Your address is confirmed.
email-go = Go to Kindred
email-confirm = Confirm this address
email-invalid = This link is invalid, already used or expired. Links work once, for 24 hours, and only the latest one works.

## page: mail preferences (/me/mail, /unsubscribe)
mail-kind-reply-to-thread = Replies to my threads
mail-kind-reply-to-post = Replies to my posts
mail-kind-mention = Mentions of me
mail-kind-watched-thread = New posts in threads I watch
mail-kind-moderation-outcome = Moderators' decisions about my posts
mail-kind-private-message = Private messages to me
mail-freq-immediately = At once
mail-freq-daily = In a daily digest
mail-freq-weekly = In a weekly digest (Mondays)
mail-freq-never = Never
mail-when = When to mail me
mail-digests = Digests
mail-digest-hour = Send digests at (your local time)
mail-time-zone = Your time zone
mail-time-zone-hint = Its name, like Europe/Paris, America/New_York or UTC. Summer time is followed for you.
mail-privacy = Privacy
mail-show-content = Show what posts say in e-mails (community, thread and the start of the post). Off, mail only says how many new things there are.
unsubscribe-title = Stop notification mail
unsubscribe-invalid = This unsubscribe link is invalid.
unsubscribe-done = Done: you will no longer get { $what }.
unsubscribe-ask = Stop this kind of notification mail? You can turn it on again in your settings.
unsubscribe = Unsubscribe
unsubscribe-choose = Choose which mail you get

## page: messages, blocks and message review (/messages, /me/blocks, /admin/messages)
messages-only-you = only you
messages-lead = Private conversations with up to four other members who share a community with you. Messages are checked like posts: some wait for a site admin before they are delivered.
messages-none = No conversations yet.
messages-with = With { $names }
messages-unread = { $count ->
    [one] { $count } unread message
   *[other] { $count } unread messages
}
messages-muted = (muted)
messages-older = Older conversations
messages-start = Start a conversation
messages-to = To
messages-to-hint = Usernames, separated by commas: up to four members.
messages-message = Message
messages-send = Send
messages-conversation-with = Conversation with { $names }
messages-all = All messages
messages-held = Held for review.
messages-report-title = Report this message
messages-report-label = What is wrong? Site admins will read the message; nobody is told who reported it.
messages-report = Report
messages-later = Later messages
messages-answer = Answer
messages-mute = Mute this conversation
messages-unmute = Unmute this conversation
blocks-title = Members you block
blocks-lead = You and a member you block cannot message each other, their posts are folded away for you, and they cannot notify you. They are not told.
blocks-none = You block nobody.
blocks-since = since
blocks-unblock = Unblock
blocks-add-title = Block a member
blocks-block = Block
review-nothing = Nothing waits.
review-title = Private messages to review
review-lead = Messages belong to no community, so site admins review them. You see only these messages, never the rest of a conversation.
review-held = Held by screening
review-reported = Reported
review-deliver = Deliver
review-keep = Keep

## page: content notes (posting forms, /me/content-notes, /c/…/content-notes)
note-end-of-life = end of life
note-recurrence = recurrence or progression
note-death-and-loss = death and loss
note-graphic-medical = graphic medical detail
note-self-harm = suicide and self-harm
care3-notification-folded = This post has a content note: { $notes }. Open it to read it.
notes-legend = Content notes (optional)
notes-hint = Readers who chose to can have posts with these notes folded away until they open them.
notes-suggested = This post may need a content note: { $notes }.
note-suggestion-ticked = We ticked it below for you to check: post with it, change it, or post without a note.
note-post-without = Post without a note
notes-fold-legend = Fold away posts with these notes
notes-title = Content notes
notes-member-lead = Authors can mark a post with a content note. Posts with the notes you tick are folded away: you see “This post has a content note — show” and open them when you are ready.
notes-not-chosen = You have not chosen yet, so each community's defaults apply to you.
notes-community-title = Content notes in { $slug }
notes-defaults-saved = The defaults are saved.
notes-community-lead = Posts with the notes ticked here are folded away for members who have not chosen for themselves.
notes-save-defaults = Save defaults
notes-back-community = Back to the community

## page: care (/me/care, crisis lines panel, wellbeing items in the queue)
care-call = call
care-text = text
care-text-to = to
care-chat = chat online
care-not-alone = You are not alone
care-people-in = People you can talk to in { $country }
care-emergency = In an emergency, call
care-checked = Numbers last checked { $date }.
care-close = Close this for now
care-title = Thank you for sharing
care-published = Your post is published.
care-nothing = Nothing to show here right now.
care-go-to-post = Go to your post
care-at-risk = Someone may be at risk
care-levels = How to read the levels
care-urgent = Urgent
care-level = Level { $level }
care-source-report = reported by a member
care-source-screening = found by screening
care-what-was-said = What was said
care-template = A message you can adapt
care-reached-out-by = Reached out by
care-reached-out = I reached out

## page: context notes, appeals and memorials/clinicians (/admin/members)
duty-context-from = Context from { $article } { $label }
duty-edit-note = Edit or remove this note
duty-note = Note
duty-save-note = Save note
duty-remove-note = Remove note
duty-add-context = Add context
duty-context-note = Context note
duty-context-hint = Up to 500 characters. Readers see it under the post with your role. Link your sources.
duty-add-note = Add note
duty-appeal = Appeal this decision
duty-appeal-label = Why should another moderator look again?
duty-appeal-hint = You can appeal once, within 30 days. A moderator who did not make the decision reads it.
duty-send-appeal = Send appeal
duty-appeals = Appeals
duty-appeals-verb = appeals:
duty-decided-by = decided by
duty-appealed = appealed
duty-thread = thread
duty-reason-given = Reason given:
duty-overturn = Overturn (restore, lift sanction)
duty-uphold = Uphold
duty-own-decision = You made this decision, so another moderator or an admin decides the appeal.
duty-members-title = Members: memorials and clinicians
duty-members-page = Memorials and clinicians
duty-memorialise-title = Memorialise an account
duty-memorial-lead = At a family's request: the profile reads “In memory of”, nobody can sign in to it, it receives no notifications or mail, and its posts stay. Both steps are in the moderation log. Erasure stays possible:
duty-action = Action
duty-memorialise = Memorialise
duty-reverse = Reverse a memorial
duty-save = Save
duty-clinicians-title = Verified clinicians
duty-clinicians-lead = A verified clinician can add context notes under posts, labelled with their role.
duty-role-hint = As readers see it, e.g. oncology nurse. Leave empty to withdraw a verification.

## page: moderation queue, moderation log, members and bans
queue-title = Moderation queue
queue-empty = Nothing is waiting for a decision. Thank you.
queue-in = In
queue-why = Why it is here
queue-reports = Reports
queue-about-author = About the author:
queue-source = Markdown source
queue-approve = Approve
queue-this-post = this post
queue-remove-records = Remove records: “{ $reason }”
queue-canned = Remove with one of this community's reasons
queue-with-reason = with this reason
queue-own-reason = Or decide with your own reason
queue-decision = Decision
queue-decide-approve = Approve: publish the post
queue-decide-remove = Remove the post
queue-decide-dismiss = Dismiss: leave it as it is
queue-reason = Reason (public in the moderation log; shown to the author of a removed post)
queue-note = Note for moderators
queue-sanction = Sanction for the author
queue-sanction-none = None
queue-sanction-warn = Warn
queue-sanction-suspend = Suspend
queue-sanction-ban = Ban from the community
queue-days = Suspension length in days
queue-record = Record decision
queue-more = More
modlog-none = No decisions yet.
modlog-caption = Moderation decisions, newest first
modlog-when = When
modlog-reason = Reason
modlog-details = Details
modlog-by = by
modlog-about = about
modlog-note = Note:
modlog-older = Older
members-none = None.
members-reasons-after = this community's moderators offer in the queue
members-add-label = Add or approve a member by username
members-add = Add member
members-pending = Waiting for approval
members-active = Members
members-banned = Banned
members-ban = Ban
members-lift-ban = Lift ban

## page: confirmations after a redirect (server/src/pages) and notification summaries
notice-joined = Welcome! You are now a member.
notice-requested = Your request to join was sent to the moderators.
notice-left = You have left this community.
notice-reported = Thank you. The moderators will look at the post.
notice-posted = Your post is published.
notice-edited = Your changes are saved.
notice-held = Your post is waiting for a moderator's review.
notice-decided = Decision recorded.
notice-appealed = Your appeal is sent. A moderator who did not make the decision will look at it.
notice-created = Community created.
notice-appointed = Moderator appointed.
notice-pinned = The thread is pinned.
notice-unpinned = The thread is no longer pinned.
notice-locked = The thread is locked: replies are closed.
notice-unlocked = The thread is open for replies again.
notice-removed = The post is removed and the decision is in the moderation log.
notice-all-read = All notifications are marked as read.
notification-former-member = A former member
notification-mention = { $who } mentioned you
notification-reply-to-post = { $who } replied to your post
notification-reply-to-thread = { $who } replied to your thread
notification-watched-thread = { $who } posted
notification-context-note = { $who } added context to your post
notification-reacted = Members reacted to your post
notification-reviewed = A moderator reviewed your post
notice-reached-out = Recorded: you reached out. Thank you.
notice-member-added = Member added.
notice-member-banned = Member banned.
notice-ban-lifted = Ban lifted.
notice-message-reported = Thank you. The site admins will read the message; nobody is told who reported it.
notice-blocked = Blocked.
notice-unblocked = Unblocked.

## page: research surveys (/surveys, /partner/surveys, /admin/surveys, /admin/partners)
surveys-title = Research surveys
surveys-none-open = No survey is open for you. Surveys are offered to members who opted in to research in their privacy settings.
surveys-banner-for = A research survey for { $community }, open until
surveys-banner-privacy = Only totals of 11 or more members are ever shown to the researchers, after it closes; your name never is.
surveys-answered = You answered. You can take your answers back until the survey closes.
surveys-withdraw = Withdraw my answers
surveys-dismissed = You said no thanks. You can still answer.
surveys-withdrawn = You withdrew your answers. You can answer again.
surveys-answer = Answer
surveys-no-thanks = No thanks
surveys-free-text-hint = Only this community's moderators read this answer; it never leaves Kindred.
surveys-send-answers = Send my answers
surveys-partner-title = Your surveys
surveys-partner-none = You have not drafted a survey yet.
surveys-results-link = Results
surveys-draft-heading = Draft a survey
surveys-draft-intro = An admin reads every survey before members see it. Surveys carry no advertising or promotion.
surveys-community = Community
surveys-draft-title = Title
surveys-draft-opens = Opens on
surveys-draft-closes = Closes on
surveys-question-number = Question { $number }
surveys-optional = (optional)
surveys-draft-kind = Kind
surveys-kind-single = One choice
surveys-kind-multiple = Several choices
surveys-kind-scale = Scale from 1 to 5
surveys-draft-question = Question
surveys-draft-options = Options, one per line
surveys-draft-options-hint = Two to twelve; none for a scale.
surveys-draft-free-text = Free-text questions, which only the community's moderators may read, can be added through the API.
surveys-send-approval = Send for approval
surveys-promotional = screening found promotion
surveys-withheld = withheld:
surveys-results-title = Results: { $title }
surveys-results-answered = { $count } members answered.
surveys-results-csv = Download as CSV
surveys-results-answer = Answer
surveys-results-members = Members
surveys-results-question-total = Answered this question
surveys-results-back = Back to your surveys
surveys-admin-none = No survey has been drafted.
surveys-admin-open-from = Open from
surveys-admin-open-to = to
surveys-admin-reason = Reason, for the partner
surveys-admin-approve = Approve
surveys-admin-reject = Reject
partners-title = Research partners
partners-intro = A research partner sees the de-identified insights and runs surveys of the communities granted to them, and nothing else. Granting turns a member account into a partner account and signs it out everywhere.
partners-none = No community is granted to anyone.
partners-caption = Granted communities
partners-partner = Partner
partners-since = Since
partners-revoke = Revoke
partners-revoke-label = Revoke { $community } from { $username }
partners-grant-heading = Grant a community
partners-account = Account
partners-grant = Grant

## page: community insights (/insights, /insights/…)
insights-title = Community insights
insights-none = No community has been opened to you yet. A site admin grants access one community at a time.
insights-community-title = Insights: { $community }
insights-method = These figures count posts by members who agreed to count towards insights, month by month, that mention terms from a fixed list of treatments, side effects and concerns; no words, names or dates finer than a month leave Kindred.
insights-method-withheld = Any figure resting on fewer than { $below } members is withheld and shown hatched as “<{ $below }”, together with any other figure that would let someone work it out by subtraction.
insights-from = From
insights-to = To
insights-show = Show
insights-download = Download these figures:
insights-members-heading = Members behind the figures
insights-members-caption = Members who agreed to count towards insights and posted, by month
insights-month = Month
insights-members = Members
insights-legend-withheld = hatched: fewer than { $below } members, withheld
insights-chart-heading = { $chart }: mentions over time
insights-chart-all-withheld = Every month is withheld for these terms.
insights-chart-caption = { $chart }: posts mentioning each, by month
insights-term = Term
insights-quiet = Withheld or not mentioned in every month: { $terms }.
insights-concerns-heading = Top concerns, { $from } to { $to } against { $lastfrom } to { $lastto }
insights-concerns-all-withheld = Every concern is withheld in both periods.
insights-concerns-figcaption = Dark bars: this period; light bars: the period before. “+”: at least this many, as some months are withheld.
insights-concerns-caption = Posts mentioning each concern, this period and the one before
insights-concern = Concern
insights-this-period = This period
insights-period-before = Period before
insights-heatmap-heading = Treatments and side effects mentioned together
insights-heatmap-all-withheld = Every treatment and side effect pair is withheld in this period.
insights-heatmap-figcaption = Posts mentioning both, over the period; darker is more. Pairs not shown are withheld every month.
insights-heatmap-caption = Posts mentioning a treatment and a side effect together
insights-treatment = Treatment

## page: administration (/admin, /admin/c/…)
admin-title = Administration
admin-overview = Site overview
admin-overview-caption = Communities with their members, posts, open queue items and moderators
admin-col-community = Community
admin-col-members = Members
admin-col-posts = Posts
admin-col-queue = Queue
admin-col-moderators = Moderators
admin-col-actions = Actions
admin-create-heading = Create a community
admin-create-button = Create community
admin-appoint-heading = Appoint a moderator
admin-appoint-button = Appoint
admin-all-communities = All communities
admin-save-changes = Save changes
admin-screening-heading = Screening policy
admin-save-policy = Save policy
admin-no-moderators = No moderators yet. Appoint one on the administration page.
admin-edit = Edit
admin-remove-moderator = Remove as moderator
admin-edit-title = Edit { $community }
admin-field-name = Name
admin-field-address = Address
admin-field-description = Description
admin-field-rules = Rules
admin-field-kind = Kind
admin-field-conditions = Conditions
admin-field-visibility = Visibility
admin-field-joining = Joining
admin-field-listing = Directory listing
admin-field-language = Language
admin-field-community = Community
admin-field-username = Username
admin-field-policy = Policy (JSON)
admin-hint-address = Used in the URL: lowercase letters, digits and hyphens, e.g. lung-cancer.
admin-hint-markdown = Markdown.
admin-hint-commas = Separated by commas.
admin-hint-policy = Fields left out take the defaults.
admin-private-mark = (private)
admin-no-moderators-cell = none

## Form problems on pages (issue 21): the same words in every language where a page has
## its own; other fields keep the service's English sentence, which names the limits.
form-invalid-other = Please check this field.
form-invalid-credentials = That username and password do not match.
form-rate-limited = { $seconds ->
    [one] Too many attempts. Please try again in { $seconds } second.
   *[other] Too many attempts. Please try again in { $seconds } seconds.
}
form-no-such-member = There is no member with that username.
form-no-such-clinician = There is no member with that username (or, to withdraw, no verified clinician).
form-not-your-password = That is not your password.
form-username-taken = That username is taken. Please choose another.
form-slug-taken = A community already uses this address.
form-invalid-listed = Choose listed or unlisted.
form-policy-unusable = This policy cannot be used: { $detail }.
form-invalid-username = A username has 3 to 32 characters: letters, digits and underscores, and must not be reserved.
form-invalid-password = A password has 10 to 256 characters and must not be a common one.
form-invalid-new-password = A password has 10 to 256 characters and must not be a common one.
form-invalid-current-password = The current password is not right.
form-invalid-email = Please give a valid email address.
form-invalid-new-email = Please give a valid email address that is not already yours.
form-invalid-display-name = A display name has up to 64 characters and must not name a role such as moderator or staff.
form-invalid-role = Choose one of the roles offered.
form-invalid-conditions = Up to 20 condition tags, each short, separated by commas.
form-invalid-condition-tags = Up to 20 condition tags, each short, separated by commas.
form-invalid-bio = The bio is too long or contains characters that are not allowed.
form-invalid-title = A title has 1 to 200 characters.
form-invalid-body = The text is empty, too long or too complex to show.
form-invalid-slug = An address has lower-case letters, digits and hyphens.
form-invalid-name = The name is empty or too long.
form-invalid-description = The description is empty or too long.
form-invalid-rules = The rules are too long.
form-invalid-kind = Choose one of the kinds offered.
form-invalid-visibility = Choose public or private.
form-invalid-join-policy = Choose one of the ways to join offered.
form-invalid-language = Choose one of the languages offered.
form-invalid-reason = Please give a reason (up to 1,000 characters).
form-invalid-text = The text is empty or too long.
form-invalid-days = A suspension lasts 1 to 365 days.
form-invalid-to = Name at least one other member by username.
form-invalid-answers = Please answer the required questions with the options offered.
form-invalid-options = A choice question has between 2 and the most options allowed.
form-invalid-questions = The survey has too many or too few questions.
form-invalid-country = Choose one of the countries offered.
form-invalid-time-zone = Choose a time zone from the list.
form-invalid-digest-hour = Choose an hour between 0 and 23.
form-invalid-note = The note is too long or contains characters that are not allowed.
form-notice-survey-answered = Thank you: your answers are in.
form-notice-survey-withdrawn = Your answers are deleted.
form-notice-survey-dismissed = We will not show you this survey again.
form-notice-survey-approved = Approved: eligible members see it while it is open.
form-notice-survey-rejected = Rejected; the partner sees your reason.
form-notice-survey-drafted = Sent: an admin will read your survey before members see it.
form-notice-granted = Granted.
form-notice-revoked = Revoked.
form-conflict = That clashes with what is already there; reload the page and check.
form-no-question = A survey needs at least one question.
form-free-text-for-partner = Free-text answers never leave Kindred: a free-text question may only be read by the community's moderators.
form-not-partner = Only research partners draft surveys.
form-not-admin = Only site admins can do this.
form-promotional = Screening found promotion in this survey; reject it with a reason instead.
form-survey-closed = This survey is closed.
form-survey-open = Results appear when the survey closes.
form-not-eligible = This survey is for members who opted in to research (in your privacy settings) and fit its audience.
form-too-few-respondents = Fewer than 11 members answered this survey, so no result can be shown without risking that someone is recognised.

## Survey status words and the results' method (issue 21)
survey-status-pending = waiting for review
survey-status-approved = approved
survey-status-rejected = rejected
survey-status-method = Results appear only after a survey closes and only if at least 11 members answered. Any count under 11 is shown as "<11", and further counts are withheld where the withheld one could be worked out by subtraction.

## Insights charts' own text (issue 21)
insights-svg-treatments = Treatments
insights-svg-side-effects = Side effects
insights-svg-concerns = Concerns
insights-svg-line-title = { $chart }: mentions by month (figures in the table below)
insights-svg-withheld-point = { $series }, { $month }: fewer than { $below } (withheld)
insights-svg-concerns-title = Top concerns: this period against the one before (figures in the table below)
insights-svg-heatmap-title = Treatments and side effects mentioned in the same post (figures in the table below)

## Administration: select choices, the screening policy's explanation, site counts (issue 21)
admin-opt-public = Public: anyone can read
admin-opt-private = Private: only members read it (and, unless it is listed, know it exists)
admin-opt-unlisted = Unlisted: a private community stays hidden
admin-opt-listed = Listed: a private community's name, description and member count show in the directory, and people can ask to join
admin-opt-open = Open: anyone may join
admin-opt-approval = A moderator approves each request
policy-explained-labels = The policy gives scores for each label:
policy-explained-scores = A score from 0 to 1 at which a post is flagged for review, held until a moderator decides, or rejected, with flag ≤ hold ≤ reject:
policy-explained-never = never
policy-explained-trust = the trust levels (0–3) whose posts are only flagged where they would be held.
overview-members = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
overview-published-posts = { $count ->
    [one] { $count } published post
   *[other] { $count } published posts
}
overview-open-queue-items = { $count ->
    [one] { $count } open queue item
   *[other] { $count } open queue items
}
form-notice-memorialised = The account is memorialised.
form-notice-memorial-reversed = The memorial is reversed.
form-notice-saved = Saved.
form-notice-community-created = Community created.
form-notice-moderator-appointed = Moderator appointed.
form-notice-changes-saved = Changes saved.
form-notice-moderator-removed = Moderator removed; they stay a member.
form-notice-policy-saved = Screening policy saved; new posts are screened with it.
form-notice-reason-added = Reason added.
form-notice-reason-default = Default reason changed.
form-notice-reason-removed = Reason removed.

## Words the page's script writes (web/src/script_words.rs; `{ $n }` and the like are
## filled in by the script)
js-sending-reply = Sending your reply…
js-just-now = just now
js-minutes-ago-one = { $n } minute ago
js-minutes-ago-other = { $n } minutes ago
js-hours-ago-one = { $n } hour ago
js-hours-ago-other = { $n } hours ago
js-days-ago-one = { $n } day ago
js-days-ago-other = { $n } days ago
js-former-member = a former member
js-awaiting-review = Awaiting review.
js-removed-by-moderator = Removed by a moderator.
js-why = Why: { $note }
js-post-deleted = This post was deleted.
js-content-note-summary = This post has a content note: { $words } — show
js-content-note-label = Content note: { $words }
js-edited = · edited
js-post-by = post by { $name }
js-new-reply = New reply from { $name }.
js-reaction-not-saved = Your reaction was not saved.
js-reaction-added = Reaction added.
js-reaction-taken-back = Reaction taken back.
js-reply-not-posted = Your reply could not be posted.
js-reply-held = Your reply is waiting for a moderator's review.
js-reply-posted = Your reply is posted.
js-preview = Preview
js-needs-content-note = This post may need a content note: { $notes }.
js-nothing-to-preview = Nothing to preview yet.
js-preview-unavailable = The preview is not available right now.
js-a-post-was-deleted = A post was deleted.
js-updates-missed = Some updates were missed. Reload the page to see everything.
js-show = show
js-item-decided = This item has been decided (perhaps by another moderator). Nothing more is needed.
js-notifications = Notifications
js-unread = , { $n } unread
js-new-notification = New notification in { $thread }.
js-moderation = Moderation
js-open-items-one = , { $n } open item
js-open-items-other = , { $n } open items
js-members-to-mention = Members to mention
js-mention-choices = Members to mention: { $n }. Use the arrow keys and Enter.
js-mentioned = Mentioned { $name }.

## The command line's lines for admins (cli/src), in KINDRED_DEFAULT_LANGUAGE; the
## English lines are the ones scripts have always read
cli-migrated = migrations applied to { $target }
cli-reindexed = search index rebuilt: { $posts } posts, up to event { $event }
cli-seeded = demo data loaded: { $communities } communities, { $users } users, { $threads } threads, { $posts } posts
cli-seed-skipped = the database already has communities; demo data not loaded
cli-demo-logins = demo logins (password for all: { $password }; demo only):
cli-mail-files = mail (password resets, notifications) is written as .eml files under { $dir }; set KINDRED_SMTP_URL to send it
cli-mail-smtp = mail goes to the { $transport }
cli-listening = kindred is listening on { $url } (API under { $url }/api/v1)
cli-admin-created = admin { $name } created
cli-erased = erased { $name } (posts: { $posts })
cli-memorialised = { $name } is memorialised: In memory of { $display }
cli-unmemorialised = { $name } is no longer memorialised
cli-partner-granted = { $name } may see the insights of { $community }
cli-partner-already-granted = { $name } may see the insights of { $community } (already granted)
cli-partner-revoked = { $name } may no longer see the insights of { $community }
cli-backup-written = backup written to { $file } ({ $bytes } bytes)
cli-restored = restored { $file } into { $target }; search index rebuilt: { $posts } posts, up to event { $event }
cli-error-input = { $detail }
cli-error-failed = { $detail }

## Errors the server words itself (issue 21: from the catalogue in English too)
es3-token-access-invalid = access token is invalid or expired
es3-token-header-malformed = malformed Authorization header
es3-token-bearer-expected = expected Authorization: Bearer <token>
es3-token-session-ended = session has ended; sign in again
es3-token-refresh-missing = no refresh token
es3-token-refresh-invalid = refresh token is invalid or expired
es3-token-refresh-reused = refresh token was already used; sign in again
es3-not-published-save = only published posts can be saved: this one is awaiting review, removed or deleted
es3-not-published-react = only published posts take reactions: this one is awaiting review, removed or deleted
es3-error-unauthenticated = authentication required
es3-error-invalid-credentials = invalid username or password
es3-error-not-found = not found
es3-error-idempotency-key-reused = this Idempotency-Key was already used for a different request
es3-error-payload-too-large = request body is larger than { $bytes } bytes
es3-error-unsupported-media-type = send the body as application/json
es3-error-method-not-allowed = this method is not supported; use one of { $allowed }
es3-error-rate-limited = too many attempts; try again in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
}
es3-error-unavailable = the service is temporarily unavailable
es3-error-storage-full = the server is out of storage space; nothing was saved, try again later
es3-error-internal = something went wrong on our side
es3-post-not-saved = The post was not saved
es3-reaction-not-saved = Your reaction was not saved
es3-demo-login-admin = site admin: creates communities, appoints moderators
es3-demo-login-maria-mod = moderator of lung cancer, myeloma, colorectal, caregivers, grief
es3-demo-login-sam-patient = patient in the lung cancer community
es3-demo-login-jo-caregiver = caregiver, member of the private glioblastoma caregivers group
es3-demo-login-lena-research = research partner: sees only the lung cancer insights (/insights) and her survey (/partner/surveys)
es3-cli-index-in-use = a running server is using { $dir }; stop it first
es3-conflict-not-moderator = { $username } is not a moderator of this community
es3-conflict-appeal-too-old = decisions can be appealed for { $days } days, and this one is older
es3-cli-backup-exists = { $file } already exists; choose a new file
es3-cli-restore-target-exists = { $file } exists; pass --force to replace it with the backup
es3-cli-no-member = no member is called { $name }
