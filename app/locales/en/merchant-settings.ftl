# Tracklight: what merchants read on the settings page (`/settings`), in English, read through
# `i18n::mt`. `{ $name }` placeables are filled in by the page; keep them. Pieces of a sentence
# split around a link or code (`-intro`, `-intro-end`) are joined on the page with one space
# where the sentence has one.

## Used in several sections
settings-save = Save
settings-saving = Saving…
# The placeholder of a secret or key field when one is stored.
settings-secret-stored = •••••••• (stored)

## Page
settings-page-title = Settings · Tracklight
# { $error }: why the settings could not be read.
settings-unavailable = Settings are not available: { $error }
# Followed by a link, settings-session-sign-in.
settings-session-ended = Your session has ended.
settings-session-sign-in = Sign in again
settings-signed-in-as = Signed in as { $email }
settings-sign-out = Sign out
settings-heading = Settings
settings-sandbox-title = Sandbox mode
# Follows settings-sandbox-title (in bold) directly.
settings-sandbox-text = : this server talks to Tracklight's built-in provider sandboxes. No texts are sent.
settings-status-yotpo-form = Tracking pages show your Yotpo sign-up form to shoppers who are not subscribed yet.
# { $provider }: Yotpo SMS & Email or Klaviyo.
settings-status-on = Tracking pages offer text sign-ups to shoppers who are not subscribed yet; they go to { $provider }.
settings-status-off = Text sign-ups are off: connect Yotpo SMS & Email or Klaviyo and add your Terms and Privacy links below.
settings-consent-log-link = Consent log: every sign-up and what became of it →

## The page's navigation: a short label per section
settings-nav-label = Settings sections
settings-nav-provider = Where sign-ups go
settings-nav-yotpo = Yotpo
settings-nav-signup-form = Yotpo sign-up form
settings-nav-klaviyo = Klaviyo
settings-nav-preview = Preview
settings-nav-milestones = Milestone events
settings-nav-brand = Brand
settings-nav-guards = Sign-up protection
settings-nav-data = Shoppers' data
settings-nav-embed = Embed and look-up
settings-nav-ingest = Shopify and tracking services
settings-nav-keys = API keys
settings-nav-consent-log = Consent log

## Where text sign-ups go
settings-provider-heading = Where text sign-ups go
settings-provider-text = Connect Yotpo SMS & Email or Klaviyo below; new sign-ups go to the one chosen here. A sign-up already given finishes with the provider it was given under.
settings-provider-legend = List provider
# { $provider }: Yotpo SMS & Email or Klaviyo.
settings-provider-option-connected = { $provider } (connected)
settings-provider-option-not-connected = { $provider } (not connected yet)
settings-provider-save = Use this provider

## Yotpo SMS & Email
settings-yotpo-heading = Yotpo SMS & Email
settings-yotpo-store-id-label = Yotpo store ID
settings-yotpo-secret-label = Yotpo API secret
settings-yotpo-secret-hint-stored = Stored encrypted and never shown again. Leave blank to keep it.
settings-yotpo-secret-hint = In Yotpo: Settings, then General settings, then API credentials.
settings-yotpo-list-id-label = SMS list ID
settings-yotpo-list-id-hint = Shoppers who tick the box join this list. Test the connection to pick from your lists.
# The Save button while Yotpo checks what was entered.
settings-yotpo-checking = Checking with Yotpo…
settings-yotpo-test = Test connection
settings-yotpo-testing = Testing…
settings-yotpo-sandbox = Use a sandbox store
# After the connection test's answer. { $lists }: the account's lists, "name (id), …".
settings-yotpo-test-lists = Lists: { $lists }.

## Consent texts and links (in the Yotpo and the Klaviyo sections)
settings-texts-terms-label = Terms of Service link
settings-texts-privacy-label = Privacy Policy link
settings-texts-heading-label = Heading (optional)
settings-texts-heading-hint = In your default language (see Languages for the others). Default: Get texts from your store name.
settings-texts-extra-label = Extra text (optional)
settings-texts-extra-hint = Shown under the heading, e.g. an offer. The required consent text is always shown.

## Yotpo sign-up form
settings-signup-form-heading = Sign-up form
settings-signup-form-text = Instead of Tracklight's checkbox, tracking pages can show one of your published Yotpo SMS forms, still only to shoppers who are not subscribed. Sign-ups through a Yotpo form are recorded by Yotpo, not in Tracklight's consent log.
# { $script }: the chosen form's script address.
settings-signup-form-current = Now showing your Yotpo form { $script }.
settings-signup-form-current-checkbox = Now showing Tracklight's checkbox with the consent text above.
settings-signup-form-code-label = Yotpo form code (optional)
settings-signup-form-code-hint = Paste the form's embed code from Yotpo, or its script address, or pick a published form. Leave blank to show Tracklight's checkbox.
# A suggestion in the form code field. { $id }: the form's ID in Yotpo.
settings-signup-form-option = Form { $id }
settings-signup-form-looking = Looking up your published Yotpo forms…
settings-signup-form-none = Your Yotpo account has no published SMS forms.
# { $forms }: settings-signup-form-item for each form, separated by commas.
settings-signup-form-published = Published in your Yotpo account: { $forms }.
settings-signup-form-item = form { $id }
settings-signup-form-not-connected = Connect Yotpo above to pick from your published forms.

## Klaviyo
settings-klaviyo-heading = Klaviyo
settings-klaviyo-key-label = Klaviyo private API key
# { $account }: the Klaviyo account ID the stored key belongs to.
settings-klaviyo-key-hint-stored = Stored encrypted and never shown again (account { $account }). Leave blank to keep it.
settings-klaviyo-key-hint = In Klaviyo: Settings, then API keys, then Create Private API Key, with read access to accounts, lists and profiles and full access to lists, profiles, subscriptions and events.
settings-klaviyo-list-id-label = Klaviyo list ID
settings-klaviyo-list-id-hint = Shoppers who tick the box join this list. Load your lists to pick one.
# { $id }: the chosen list's ID; { $process }: settings-klaviyo-process-double-reply or -single.
settings-klaviyo-list-current = Now: list { $id } ({ $process }).
settings-klaviyo-process-double-reply = double opt-in: shoppers confirm by replying to Klaviyo's text
settings-klaviyo-process-double = double opt-in: the shopper confirms by text
settings-klaviyo-process-single = single opt-in
settings-klaviyo-process-unknown = opt-in process not given
# A loaded list, after its ID. { $name }: the list's name; { $process }: one of settings-klaviyo-process-*.
settings-klaviyo-list-item = { $name } ({ $process })
# The Save button while Klaviyo checks what was entered.
settings-klaviyo-checking = Checking with Klaviyo…
settings-klaviyo-save = Save and use Klaviyo
settings-klaviyo-load-lists = Load my lists
settings-klaviyo-loading = Loading…
settings-klaviyo-sandbox = Use a Klaviyo sandbox account

## Preview
settings-preview-heading = Preview
settings-preview-text = The sign-up as shoppers see it under the timeline, with what is saved now.
settings-preview-frame-title = Preview of the text sign-up

## Shipment milestones as events
settings-milestones-heading = Shipment milestones as events
# { $provider }: Yotpo SMS & Email or Klaviyo.
settings-milestones-text = Each milestone you tick is sent to { $provider } as an event on the shopper's profile when a shipment reaches it, so your flows there can text or mail about it. Events go once per milestone and checkpoint; news older than three days is not sent.
settings-milestones-caption = Milestones and their event names
settings-milestones-col-send = Send
settings-milestones-col-sent = Sent
settings-milestones-col-klaviyo = Klaviyo metric
settings-milestones-col-yotpo = Yotpo event
# { $when }: when the milestone's event is sent, e.g. "the status becomes delivered".
settings-milestones-when = When { $when }
settings-milestones-properties = Properties every event carries
settings-milestones-save = Save milestones

## Brand
settings-brand-heading = Brand
settings-brand-name-label = Store name
settings-brand-accent-label = Accent colour
settings-brand-accent-hint = #rrggbb, dark enough to read on white.
settings-brand-logo-label = Logo (optional)
settings-brand-logo-hint = An https:// image, shown 32 pixels high next to your store name.

## Languages
settings-languages-heading = Languages
# Followed by the code ?lang=de, then settings-languages-intro-end.
settings-languages-intro = Shoppers read the tracking page, the widget and the sign-up in their language: the one a link asks for (
settings-languages-intro-end = ), then the one they picked on the page, then their browser's, then the destination country's, then your default. The required consent text is always complete in every language.
settings-languages-default-label = Default language
# Followed by a link, settings-languages-preview-default.
settings-languages-default-hint = The heading and extra text in the provider section are in this language.
settings-languages-preview-default = Preview the sign-up in it
settings-languages-offered-legend = Languages shoppers may read
settings-languages-texts-legend = Heading and extra text in other languages
settings-languages-texts-hint = Blank: your default language's texts (or the built-in heading in that language, when you have none).
# After a language's name, when the store has its own heading or extra text in it.
settings-languages-own-texts = · own texts
settings-languages-heading-label = Heading
settings-languages-extra-label = Extra text
settings-languages-preview = Preview the sign-up in this language
settings-languages-save = Save languages

## Sign-up protection
settings-guards-heading = Sign-up protection
settings-guards-text = Each tracking link can sign up at most two numbers. Above the hourly limit, sign-ups are held in the consent log for you to release.
settings-guards-hourly-cap-label = Sign-ups an hour before they are held
settings-guards-countries-label = Countries whose numbers may sign up
# { $countries }: the countries the store's orders ship to, or settings-guards-ships-to-none.
settings-guards-countries-hint = Two-letter codes, like US, CA. Blank: the countries your orders ship to ({ $countries }).
settings-guards-ships-to-none = none yet

## Shoppers' data
settings-data-heading = Shoppers' data
settings-data-text = When a shopper asks what you hold about them, or to be forgotten: everything Tracklight keeps for one phone number or customer ID, their consents with each proof and its history, and their orders' personal details.
settings-data-download = Download their data (JSON)
settings-data-erase-hint = Erasing cannot be undone: consents, proofs and pending sign-ups are deleted, orders keep their tracking but lose names, email, phone and city. A record keeps only a hash of what was erased.
settings-data-erase = Erase their data
settings-data-kind-label = Find them by
settings-data-kind-phone = Phone number
settings-data-kind-customer = Customer ID (from your store)
settings-data-subject-label = Phone number or customer ID

## Embed on your site
settings-embed-heading = Embed on your site
# Followed by the code tracking_url, then settings-embed-intro-end.
settings-embed-intro = Put this where the tracking widget should appear, with the shipment's token: the last part of the
settings-embed-intro-end = the API returns.
settings-embed-snippet-label = Snippet
settings-embed-page-heading = One "Track your order" page for every shipment
# Followed by settings-embed-works-on or settings-embed-works-on-none.
settings-embed-page-text = Or put this on one page of your shop. Linked with the shipment's token in the address (in your shipping emails, for example), it shows that shipment; opened without one, it shows a form where shoppers find their order.
# { $sites }: the sites allowed to embed the widget, separated by commas.
settings-embed-works-on = It works on: { $sites }.
settings-embed-works-on-none = It works on the sites you allow below (none yet).
settings-embed-page-snippet-label = Snippet for the page
settings-embed-link-label = Link format (the page's own address, then ?tracklight=)
# Followed by the address of the store's look-up page, as a link.
settings-embed-lookup = Not embedding? Your own look-up page on Tracklight:
settings-embed-proof-legend = Shoppers find their order by
# { $proof }: what else the shopper enters, e.g. "email address".
settings-embed-proof-choice = Order number and { $proof }
# Followed by the code customer.shipping_postcode, then settings-embed-proof-hint-end.
settings-embed-proof-hint = Orders need the email address or the shipping postcode (the API's
settings-embed-proof-hint-end = ) for this to find them.
settings-embed-origins-label = Sites allowed to embed the widget
settings-embed-origins-hint = One per line, like https://shop.example. Other sites cannot show it.

## Shipments from Shopify and tracking services
settings-ingest-heading = Shipments from Shopify and tracking services
settings-ingest-text = Instead of sending shipments to the API yourself, connect Shopify (orders, fulfillments and their tracking events) or a tracking service that already follows your parcels. Tracklight checks every delivery's signature with the secret below (stored encrypted) and refuses the rest.
settings-ingest-how-shopify = In Shopify: Settings → Notifications → Webhooks. Create webhooks (JSON, this address) for Order creation, Order update, Order cancellation, Fulfillment creation, Fulfillment update and Fulfillment event creation, then paste the key Shopify shows as "Your webhooks will be signed with".
settings-ingest-how-easypost = In EasyPost: Account settings → Webhooks. Add this address with a webhook secret, and paste the same secret here.
settings-ingest-how-aftership = In AfterShip: Settings → Webhooks. Add this address for tracking updates, and paste the webhook secret AfterShip shows.
settings-ingest-url-label = Webhook address
settings-ingest-liquid-label = Tracking link for Shopify's shipping confirmation (Settings → Notifications → Shipping confirmation; edit code)
# { $source }: Shopify, EasyPost or AfterShip.
settings-ingest-secret-label = { $source } webhook secret
settings-ingest-save-secret = Save secret
settings-ingest-connect = Connect
settings-ingest-disconnect = Disconnect
settings-ingest-recent-heading = Newest deliveries
settings-ingest-col-received = Received
settings-ingest-col-from = From
settings-ingest-col-topic = Topic
settings-ingest-col-state = State
settings-ingest-col-outcome = What happened

## API keys
settings-keys-heading = API keys
# Followed by a link, settings-keys-intro-link, then settings-keys-intro-end.
settings-keys-intro = Your store's backend sends orders and tracking updates to
settings-keys-intro-link = the REST API
settings-keys-intro-end = with one of these keys.
# { $date }: the day the key was created, YYYY-MM-DD.
settings-keys-created = created { $date }
# A button's label for screen readers. { $prefix }: the key's first characters.
settings-keys-revoke-label = Revoke key { $prefix }
settings-keys-revoke = Revoke
settings-keys-new-label = New key for
settings-keys-new-placeholder = e.g. warehouse
settings-keys-create = Create key
# Followed by the new key.
settings-keys-new-key = Your new key (shown once, copy it now):

## Yotpo Loyalty
settings-nav-loyalty = Loyalty points
settings-loyalty-heading = Yotpo Loyalty points
settings-loyalty-intro = Reward shoppers who sign up for texts on the tracking page with loyalty points. Set up a custom action earning rule in Yotpo Loyalty (Earning rules → Custom action) first; Tracklight records the action for the shopper's email once their sign-up is delivered, once per shopper. Shoppers without an email on their order are not offered points.
settings-loyalty-guid-label = GUID
settings-loyalty-guid-hint = On the Settings page of your Yotpo Loyalty admin. Leave it blank and save to disconnect.
settings-loyalty-key-label = API key
settings-loyalty-action-label = Custom action name for a sign-up
settings-loyalty-action-hint = The action name of the earning rule, exactly as in Yotpo. Blank: sign-ups earn no points.
settings-loyalty-points-label = Points shown to shoppers
settings-loyalty-points-hint = The consent block says a sign-up earns this many points: use the number your Yotpo earning rule awards.
settings-loyalty-photo-action-label = Custom action name for a shared photo
settings-loyalty-photo-action-hint = Awarded once per customer when you approve a photo they shared of a delivered order (Shoppers' photos). Blank: photos earn no points.
settings-loyalty-photo-points-label = Points shown for a photo
settings-loyalty-photo-points-hint = The photo form says a shared photo earns this many points once you approve it: use the number your Yotpo earning rule awards.
settings-loyalty-checking = Checking with Yotpo…
settings-loyalty-sandbox = Use a sandbox loyalty account
