# Tracklight: what merchants read on their pages (account, consent log, home, preview), in
# English, read through `i18n::mt`. The settings page has its own file, merchant-settings.ftl.
# `{ $name }` placeables are filled in by the server; keep them. Where a sentence goes around
# a link, each piece is one message and the page puts the spaces between them.

## Account: sign-up and sign-in
account-signup-page-title = Create your Tracklight account
account-signup-closed-heading = Sign-up is closed
# Followed by a link to the sign-in page (account-signup-closed-sign-in), then account-signup-closed-end.
account-signup-closed-text = This Tracklight server does not take new accounts. Ask its operator for one, or
account-signup-closed-sign-in = sign in
# The end of the sentence, after the link.
account-signup-closed-end = {"."}
account-signup-heading = Create your account
account-signup-intro = Branded tracking pages for your store, with an SMS sign-up under the timeline.
account-store-name = Store name
account-store-name-hint = Shoppers see it on tracking pages and in the SMS consent text.
# The label of the email field, on both forms.
account-email = Email
# The label of the password field, on both forms.
account-password = Password
account-password-hint = At least 12 characters.
# The sign-up button while the account is being created.
account-signup-pending = Creating…
account-signup-submit = Create account
# Followed by a link to the sign-in page (account-have-account-sign-in).
account-have-account = Have an account?
account-have-account-sign-in = Sign in
account-signin-page-title = Sign in to Tracklight
# After sign-up: the same words whether or not the email was new.
account-created-notice = If this email was new here, your account is ready: sign in below.
account-signin-heading = Sign in
# The sign-in button while signing in.
account-signin-pending = Signing in…
account-signin-submit = Sign in
# Followed by a link to the sign-up page (account-new-here-create).
account-new-here = New to Tracklight?
account-new-here-create = Create an account

## Consent log
log-page-title = Consent log · Tracklight
# $error: why, from the server.
log-unavailable = The consent log is not available: { $error }
# The link back to the settings page.
log-back-to-settings = ← Settings
log-heading = Consent log
log-signups-heading = Sign-ups
log-views = Tracking page views
log-offered = Offered the sign-up
log-consents = Consents
# Consents per offer.
log-rate = Rate
# $rate: a percentage with one decimal (12.5).
log-rate-value = { $rate }%
log-events-heading = Shipment milestone events
# How many milestone events were sent to the SMS provider, are waiting, have failed.
log-events-sent = Sent
log-events-waiting = Waiting
log-events-failed = Failed
# The list of the newest failed milestone events.
log-failures-label = Newest failed events
# One failed event, before its reason: its time (UTC) and its milestone.
log-failure = { $time } · { $milestone }:
log-events-retry = Send failed events again
log-every-consent = Every consent
# The label of the filter by state.
log-filter-state = State
# The filter's button.
log-filter-show = Show
log-download-csv = Download CSV
log-table-caption = Consents, newest first
log-column-time = Time (UTC)
log-column-phone = Phone
log-column-provider = Provider
log-column-language = Language
log-column-page = Page
log-column-state = State
# The column of the Retry and Release buttons (heard by screen readers only).
log-column-action = Action

## Consent log: the states of a consent
log-state-all = All
# Over the store's hourly cap, until the merchant releases it.
log-state-held = Held
log-state-waiting = Waiting
log-state-customer-sent = Customer sent
log-state-confirming = Awaiting the shopper's reply
log-state-subscribed = Subscribed
log-state-failed = Failed
log-state-unknown = Unknown
# A state in the filter, with how many consents are in it.
log-state-option = { $state } ({ $count })
# The button that sends a failed consent again.
log-retry = Retry
# The button that sends a held consent.
log-release = Release

## Home page
home-intro = Shipment tracking pages for online stores, with an SMS sign-up right under the timeline.
home-sign-in = Merchant sign in
# Between the links home-sign-in and home-create-account.
home-or = or
home-create-account = create an account
home-api-docs = REST API documentation
home-openapi-document = OpenAPI document
home-shoppers = Shoppers reach their tracking page through the link in their shipping email.

## Preview of the consent block
preview-not-ready = The sign-up appears here once Yotpo, the list and the Terms and Privacy links are set.

## Consent log: loyalty points
log-column-points = Points
log-points-recorded = Awarded
log-points-already = Already awarded
log-points-waiting = Waiting
# { $reason }: why Yotpo Loyalty did not take it.
log-points-failed = Not awarded: { $reason }
log-points-retry = Retry points

## Photos page: shoppers' photos and videos of delivered orders
photos-page-title = Shoppers' photos · Tracklight
photos-heading = Shoppers' photos
photos-setting-heading = Share a photo of your order
photos-setting-help = When this is on, the tracking page of a delivered order invites the shopper to share photos or a short video of it. You approve each one here: nothing appears anywhere, or goes to Yotpo Reviews, before you do. Photos are checked and made anew (location and camera data removed); each order takes at most 3 submissions.
photos-needs-yotpo = Approved photos are imported into Yotpo Reviews through your Yotpo connection (store ID and API secret, in Settings). Without one, approving still works and the import waits until you connect Yotpo and retry it.
photos-enabled-label = Invite shoppers to share photos of delivered orders
photos-save = Save
# { $count }: submissions waiting for a decision.
photos-grid-heading = { $count ->
    [0] Submissions (none waiting)
    [one] Submissions (1 waiting)
   *[other] Submissions ({ $count } waiting)
}
photos-none = No shopper has shared a photo yet.
photos-state-pending = Waiting for you
photos-state-approved = Approved
photos-state-rejected = Rejected (files deleted)
# { $order }: the store's order number.
photos-order = Order { $order }
# { $n }: which file of the submission; { $order }: the order number.
photos-thumb-alt = Photo { $n } of order { $order } (opens full size)
photos-video-label = Video { $n } of order { $order }
photos-approve = Approve
photos-reject = Reject
photos-retry = Retry the import
# { $state }: "queued", "imported 2", "retrying: …" or "failed: …".
photos-import = Yotpo Reviews: { $state }
# { $state }: Awarded, Already awarded, Waiting, or Not awarded with the reason.
photos-points-state = Loyalty points: { $state }
# { $error }: why the page could not be read.
photos-unavailable = The photos cannot be shown right now: { $error }
settings-photos-link = Shoppers' photos
