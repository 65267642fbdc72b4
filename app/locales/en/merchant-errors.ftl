# Tracklight: the messages merchants read when a settings or account form is refused (the
# settings page's sections, sign-up and sign-in), and the confirmations and connection
# reports they read on their pages once a change is saved or a connection tested, in
# English, read through `i18n::mt`.
# `{ $name }` placeables are filled in by the server; keep them. Numbers are written plain
# (100000, not 100,000).

## Text and address fields
error-too-long = Use at most { $max } characters.
error-too-short = Use at least { $min } characters.
error-one-line = Use plain text on one line.
error-full-address = Enter a full address starting with https://.

## Brand, embedding and order look-up
# $problem: what is wrong with the name, from the name's check ("must not be blank").
error-store-name = The store name { $problem }.
error-brand-colour = The colour { $problem }.
error-logo-https = Use an https:// address for the logo.
# $problem: what is wrong with the list of sites, from the list's check.
error-origins = { $problem }.
error-lookup-proof = Choose the email address or the postcode.

## Guards against SMS pumping
error-hourly-cap-range = Enter a whole number from 1 to 100000.
# $code: what the merchant typed, in quotes.
error-country-code = { $code } is not a two-letter country code such as US or DE.

## The SMS provider and Yotpo
error-provider-choice = Choose Yotpo SMS & Email or Klaviyo.
# $provider: the provider's name (Yotpo SMS & Email, Klaviyo).
error-connect-provider-first = Connect { $provider } first.
error-store-id = The store ID { $problem }.
error-list-id = The list ID { $problem }.
error-yotpo-secret-missing = Enter the API secret from Yotpo.
error-yotpo-credentials-rejected = Yotpo did not accept this store ID and API secret.
error-yotpo-stored-credentials-rejected = Yotpo did not accept the stored store ID and API secret: fix them above first.
# $reason: why the call to Yotpo failed, as Yotpo or the connection said.
error-yotpo-check-failed = Could not check with Yotpo: { $reason }. Try again.
# $lists: the account's lists, "name (id)", comma-separated.
error-yotpo-list-unknown = This is not one of your Yotpo lists: { $lists }.
error-yotpo-forms-unlisted = Could not list your Yotpo forms: { $reason }.
error-yotpo-form-needs-connection = Connect Yotpo first: the form is shown only to shoppers Yotpo says are not subscribed.
error-form-code = This code { $problem }.
# $published: error-no-published-forms or error-published-forms.
error-form-not-published = This form is not published in your Yotpo account. { $published }
error-no-published-forms = You have no published forms in Yotpo.
# $forms: the published forms, each error-published-form, comma-separated.
error-published-forms = Published: { $forms }.
error-published-form = form { $id }
error-sandbox-off-yotpo = This server talks to the real Yotpo.

## Klaviyo
error-klaviyo-key-missing = Enter a private API key from Klaviyo (Settings → API keys).
error-klaviyo-key-format = A Klaviyo private API key starts with pk_.
# $reason: why Klaviyo refused the key, as Klaviyo said.
error-klaviyo-key-rejected = Klaviyo refused this key: { $reason }.
error-klaviyo-check-failed = Could not check with Klaviyo: { $reason }. Try again.
error-klaviyo-list-id = Pick a list: the list ID { $problem }.
error-klaviyo-list-unknown = This is not one of your Klaviyo lists: { $lists }.
error-sandbox-off-klaviyo = This server talks to the real Klaviyo.

## Shipment webhooks
error-ingest-source = Choose Shopify, EasyPost or AfterShip.
# $source: the source's name (Shopify, EasyPost, AfterShip).
error-webhook-secret-missing = Paste the secret { $source } signs its webhooks with.
error-webhook-secret-invalid = This does not look like a webhook secret (at most 200 characters, one line).

## Languages
error-default-language = Pick a language from the list.
# $tag: what the form sent, in quotes.
error-language-unknown = { $tag } is not a language Tracklight speaks.

## Sign-up and sign-in
error-sign-up-closed = Sign-up is closed on this server. Ask its operator for an account.
error-sign-up-store-name = Store name { $problem }.
error-email = Enter an email address like you@shop.example.
error-sign-in-rejected = The email or password is not right.

## Confirmations: what the settings page says once a change is saved
done-saved = Saved.
done-embed-none = Saved. No site may embed the widget.
# $count: how many sites may embed the widget (1 or more).
done-embed-sites = Saved. { $count } site(s) may embed the widget.
# $prefix: the start of the revoked API key, as the page shows it.
done-key-revoked = Revoked { $prefix }.
# $cap: the hourly cap on sign-ups.
done-guards-saved = Saved. Up to { $cap } sign-ups an hour go out; more are held for you to release.
done-sms-saved = Saved. Tracking pages now offer text sign-ups.
done-sms-saved-needs-links = Saved. Add your Terms and Privacy links to offer text sign-ups.
# $provider: the provider's name (Yotpo SMS & Email, Klaviyo).
done-provider-chosen = Saved. New sign-ups go to { $provider }; earlier ones finish where they were given.
done-signup-form-removed = Saved. Tracking pages show Tracklight's checkbox.
done-signup-form-saved = Saved. Tracking pages show your Yotpo form to shoppers who are not subscribed.
# $store: the sandbox store's ID; $list: its list's ID.
done-sandbox-connected = Connected to the sandbox store { $store }, list { $list }.
# $confirm: done-klaviyo-double-opt-in or done-klaviyo-scopes.
done-klaviyo-saved = Saved. Tracking pages now offer text sign-ups to Klaviyo. { $confirm }
done-klaviyo-saved-needs-links = Saved. Add your Terms and Privacy links to offer text sign-ups. { $confirm }
# $scopes: done-klaviyo-scopes.
done-klaviyo-double-opt-in = The list uses double opt-in: shoppers confirm by replying to Klaviyo's text. { $scopes }
done-klaviyo-scopes = The key needs full access to lists, profiles and subscriptions (and events) for sign-ups to go through.
# $account: the sandbox account's ID; $list: its list's ID.
done-klaviyo-sandbox-connected = Connected to the Klaviyo sandbox account { $account }, list { $list }.
# $source: the source's name (Shopify, EasyPost, AfterShip).
done-ingest-disconnected = Disconnected. { $source } deliveries are refused from now on.
done-ingest-saved = Saved. { $source } deliveries signed with this secret are taken.
# $offered: how many languages the store offers; $total: how many Tracklight speaks;
# $language: the store's default language, by its own name (Deutsch).
done-languages-saved = Saved. Shoppers read your pages in { $offered } of { $total } languages; { $language } when nothing else tells.
done-milestones-none = Saved. No milestone events are sent.
# $milestones: the chosen milestones' names, comma-separated.
done-milestones-saved = Saved. From now on these go to your provider as events: { $milestones }.
# $consents, $orders: how many consents and orders were erased.
# { $photos }: photo submissions deleted with their files.
done-erased = Erased: { $consents } consent(s) with their proofs and history, personal data of { $orders } order(s), { $photos } shared photo submission(s). Erase them in Yotpo too.

## Connection reports: what "Test connection" says
report-yotpo-not-saved = Save a store ID and API secret first.
report-klaviyo-not-saved = Save a Klaviyo private API key first.
# $name: the provider's name; $reason: why it refused, as it said.
report-refused = { $name } said no: { $reason }
report-connected = Connected: { $name } accepted the account's credentials.

## Yotpo Loyalty
# { $max }: the most characters the field takes.
error-loyalty-text = Use at most { $max } characters, without line breaks.
error-loyalty-guid = Enter the GUID without spaces.
error-loyalty-points-missing = Enter the points a sign-up earns.
# { $max }: the most points.
error-loyalty-points = Enter a whole number of points from 1 to { $max }.
error-loyalty-key-missing = Enter the API key.
error-loyalty-same-action = Use a custom action of its own for photos: points come once per action per customer, so a shopper who signed up would never earn them.
error-loyalty-refused = Yotpo Loyalty refused this GUID and API key.
# { $reason }: what went wrong.
error-loyalty-check-failed = Could not check with Yotpo Loyalty: { $reason }. Please try again.
error-loyalty-sandbox-off = This server talks to the real Yotpo Loyalty.
# { $action }: the custom action's name; { $points }: the points it earns.
done-loyalty-saved = { $points ->
    [one] Saved. Sign-ups earn { $points } point through “{ $action }”.
   *[other] Saved. Sign-ups earn { $points } points through “{ $action }”.
}
done-loyalty-saved-no-reward = Saved. Sign-ups earn no points until you name a custom action.
done-loyalty-disconnected = Yotpo Loyalty disconnected.

## Consent log: retries
done-consent-queued = Queued again: it goes to the provider in a moment.
done-points-queued = Queued again: the points go to Yotpo Loyalty in a moment.
done-events-none = No failed events to send again.
# { $count }: how many events.
done-events-queued = { $count } event(s) queued again.
done-photos-on = Saved: delivered orders' tracking pages invite shoppers to share photos.
done-photos-off = Saved: tracking pages no longer invite shoppers to share photos.
done-photo-approved = Approved: the import into Yotpo Reviews is queued.
done-photo-rejected = Rejected: its files are deleted.
done-photo-import-queued = Queued again: the import goes to Yotpo Reviews in a moment.
