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
mail-kind-mention = { $count ->
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
