# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in English. Every language is one file like this one, `locales/{tag}/shopper.ftl`,
# with every message below. `{ $name }` placeables are filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = English
language-switcher-label = Language
language-switcher-submit = Change

## Page chrome
tracking-by = Tracking by Tracklight
sandbox-banner-title = Sandbox mode
sandbox-banner-text = SMS sign-ups go to Tracklight's built-in sandbox. No texts are sent.
page-title = { $status } · { $brand }
not-found-title = Page not found
not-found-text = We couldn't find this page. Please check the link in your shipping email.
unavailable-title = Tracking is unavailable right now
unavailable-text = Something went wrong on our side. Please try again in a moment.

## The shipment
greeting-named = Hi { $name }, here is your order #{ $order }
greeting = Order #{ $order }
refresh = Refresh
refresh-checking = Checking for updates…
refresh-done = Up to date.
refresh-failed = Couldn't check for updates. Please try again in a moment.
shipping-to = Shipping to
carrier = Carrier
tracking-number = Tracking number
carrier-site-note = (on the carrier's site, opens in a new tab)
delivered-at = Delivered { $when }
estimated-delivery = Estimated delivery { $date }
progress-label = Delivery progress
progress-label-parcel = Parcel { $n } delivery progress
shipment-updates = Shipment updates
no-updates = No updates from the carrier yet. They usually appear within a day of shipping.
parcels-all-delivered = { $count ->
    [one] Your parcel has been delivered
   *[other] All { $count } parcels delivered
}
parcels-heading = Your order ships in { $count } parcels
parcels-tally = { $delivered } of { $count } delivered
parcels-list = Parcels
parcel-of = Parcel { $n } of { $count }
parcel-updates = { $count ->
    [one] Updates (1)
   *[other] Updates ({ $count })
}

## Statuses
status-pending = Order received
status-info-received = Label created
status-in-transit = In transit
status-out-for-delivery = Out for delivery
status-attempt-fail = Delivery attempted
status-available-for-pickup = Ready for pickup
status-delivered = Delivered
status-exception = Delivery problem
status-expired = Tracking expired
step-ordered = Ordered
step-shipped = Shipped
step-in-transit = In transit
step-out-for-delivery = Out for delivery
step-delivered = Delivered
hint-attempt-fail = The carrier tried to deliver your parcel. Check the latest update below for what happens next.
hint-available-for-pickup = Your parcel is waiting for you. The latest update below says where to collect it.
hint-exception = The carrier reported a problem with this delivery. If it is not resolved soon, contact { $brand }.
hint-expired = The carrier has stopped updating this shipment. If your parcel has not arrived, contact { $brand }.

## The consent block
consent-heading = Get texts from { $brand }
consent-country = Country
consent-phone = Mobile number
consent-phone-example = For example { $example }
consent-points = { $count ->
    [one] Sign up and earn { $count } loyalty point.
   *[other] Sign up and earn { $count } loyalty points.
}
consent-which-number = Which number should get the texts?
consent-order-number = The number on my order, { $masked }
consent-other-number = Another number (type it below)
consent-submit = Sign up for texts
consent-sending = Signing you up…
consent-preview-note = Preview: this copy sends nothing.
consent-sandbox-note = Sandbox: this sign-up goes to Tracklight's sandbox; no texts are sent.
consent-provider-form = Sign up for texts
consent-provider-sandbox-note = Sandbox: this is the sandbox's stand-in for the store's own sign-up form; no texts are sent.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Yes, send me recurring automated marketing text messages from { $brand } at the number above.
disclosure-not-a-condition = Consent is not a condition of purchase.
disclosure-frequency = Message frequency varies.
disclosure-rates = Message and data rates may apply.
disclosure-help-stop = Reply HELP for help and STOP to cancel.
disclosure-links = See our { $terms } and { $privacy }.
disclosure-terms = Terms
disclosure-privacy = Privacy Policy
done-title = You're signed up for texts
done-text = We'll text { $phone }. Reply STOP at any time to cancel.
done-confirm-title = Check your phone to confirm
done-confirm-text = We've texted { $phone } to confirm. Reply to that text to start getting texts; reply STOP at any time to cancel.

## Errors the consent block shows
error-rate-limited = Too many attempts in a short time. Please wait a few minutes.
error-not-found = This tracking link is no longer valid.
error-unavailable = The service is busy; please try again in a moment.
error-internal = Something went wrong on our side; please try again.
error-consent-unticked = Tick the box to agree to receive text messages.
error-country = Pick your country from the list.
error-form-expired = This form has expired. Reload the page and try again.
error-text-changed = The sign-up text has changed since this page was loaded. Reload the page, read it again and resubmit.
error-provider-form = This store takes text sign-ups through its own form. Reload the page to see it.
error-not-available = Text sign-ups are not available for this store at the moment.
error-not-for-order = Text sign-ups are not available for this order.
error-no-order-phone = Your order has no mobile number. Enter one.
error-two-phones = This tracking link has already signed up two numbers. To change yours, contact the store.
error-country-not-kept = This store cannot take text sign-ups for numbers from { $country }.
error-countries-none = This store does not take text sign-ups at the moment.
error-countries-one = This store takes text sign-ups for numbers from { $country } only.
error-countries-many = This store takes text sign-ups for numbers from these countries only: { $countries }.
phone-empty = Enter your mobile number.
phone-too-short = This number is too short.
phone-too-long = This number is too long.
phone-unreadable = We could not read this number. Check it, or pick your country.
phone-invalid-for = This is not a valid number for { $country }. Check it, or pick your country.
phone-landline = This looks like a landline. Enter a mobile number that can receive texts.
phone-toll-free = This is a toll-free number, which cannot receive text messages. Enter a mobile number.
phone-premium-rate = This is a premium-rate number, which cannot receive text messages. Enter a mobile number.
phone-shared-cost = This is a shared-cost number, which cannot receive text messages. Enter a mobile number.
phone-uan = This is a company's central number, which cannot receive text messages. Enter a mobile number.
phone-voicemail = This is a voicemail number, which cannot receive text messages. Enter a mobile number.
phone-pager = This is a pager number, which cannot receive text messages. Enter a mobile number.
phone-not-mobile = This number cannot receive text messages. Enter a mobile number.

## The store's order look-up ("Track your order")
lookup-title = Track your order
lookup-page-title = Track your order · { $brand }
lookup-page-title-error = Check and try again: Track your order · { $brand }
lookup-intro-email = Enter your order number and the email address from your order confirmation.
lookup-intro-postcode = Enter your order number and the shipping postcode from your order confirmation.
lookup-order = Order number
lookup-email = Email address
lookup-postcode = Postcode
lookup-submit = Find my order
lookup-unavailable = Order look-up is unavailable right now
lookup-error-order = Enter the order number from your order confirmation.
lookup-error-email = Enter the email address you ordered with, such as ana@example.com.
lookup-error-postcode = Enter the postcode of the shipping address, such as 10115 or SW1A 1AA.
lookup-no-match-email = We couldn't find an order with that number and the email address. Check both against your order confirmation.
lookup-no-match-postcode = We couldn't find an order with that number and the shipping postcode. Check both against your order confirmation.
lookup-not-shipped = We found your order, but it has not shipped yet. Its tracking appears here once it does.

## Photos of a delivered order
photos-title = Share a photo of your order
photos-intro = Show how it arrived. { $brand } looks at every photo before it appears anywhere.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Earn 1 loyalty point when { $brand } approves your photo.
   *[other] Earn { $count } loyalty points when { $brand } approves your photo.
}
photos-files = Photos or a short video
photos-files-hint = JPEG, PNG or WebP photos up to { $image_mb } MB each, or an MP4 video up to { $video_mb } MB and { $seconds } seconds; at most { $count } files at a time.
photos-caption = Caption (optional)
photos-submit = Share
photos-uploading = Uploading… { $percent } %
photos-sent = Thank you! { $brand } will look at what you shared before it appears anywhere.
photos-again = Share another photo
photos-back = Back to your tracking page
photos-error-none = Choose at least one photo or video.
photos-error-type = That file isn't a photo or video we can take: choose a JPEG, PNG or WebP photo or an MP4 video.
photos-error-heic = HEIC photos can't be read here yet: choose "Most Compatible" (JPEG) in your camera settings, or share a screenshot of the photo.
photos-error-damaged = That file looks damaged or incomplete: choose it again or pick another one.
photos-error-too-big = That file is too big: photos up to { $image_mb } MB, videos up to { $video_mb } MB.
photos-error-too-large = That photo has too many pixels: at most { $megapixels } megapixels.
photos-error-too-long = That video is too long: at most { $seconds } seconds.
photos-error-too-many = Choose at most { $count } files at a time.
photos-error-caption = The caption is too long: at most { $count } characters.
photos-error-limit = This order can't take more photos.
photos-error-busy = Too many uploads just now: please try again later.
photos-error-failed = The upload didn't finish: check your connection and try again.
photos-error-unavailable = Photos can't be shared for this order.
