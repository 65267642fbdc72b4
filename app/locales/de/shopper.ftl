# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in German (formal "Sie"). Every language is one file like this one, `locales/{tag}/shopper.ftl`,
# with every message below. `{ $name }` placeables are filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Deutsch
language-switcher-label = Sprache
language-switcher-submit = Ändern

## Page chrome
tracking-by = Sendungsverfolgung von Tracklight
sandbox-banner-title = Sandbox-Modus
sandbox-banner-text = SMS-Anmeldungen gehen an die integrierte Sandbox von Tracklight. Es werden keine SMS versendet.
page-title = { $status } · { $brand }
not-found-title = Seite nicht gefunden
not-found-text = Wir konnten diese Seite nicht finden. Bitte prüfen Sie den Link in Ihrer Versand-E-Mail.
unavailable-title = Die Sendungsverfolgung ist derzeit nicht verfügbar
unavailable-text = Bei uns ist ein Fehler aufgetreten. Bitte versuchen Sie es gleich noch einmal.

## The shipment
greeting-named = Hallo { $name }, hier ist Ihre Bestellung #{ $order }
greeting = Bestellung #{ $order }
refresh = Aktualisieren
refresh-checking = Suche nach Aktualisierungen…
refresh-done = Auf dem neuesten Stand.
refresh-failed = Aktualisierungen konnten nicht abgerufen werden. Bitte versuchen Sie es gleich noch einmal.
shipping-to = Lieferung an
carrier = Versanddienstleister
tracking-number = Sendungsnummer
carrier-site-note = (auf der Website des Versanddienstleisters, öffnet sich in einem neuen Tab)
delivered-at = Zugestellt am { $when }
estimated-delivery = Voraussichtliche Zustellung: { $date }
progress-label = Zustellfortschritt
progress-label-parcel = Zustellfortschritt von Paket { $n }
shipment-updates = Aktualisierungen zur Sendung
no-updates = Noch keine Aktualisierungen vom Versanddienstleister. Diese erscheinen in der Regel innerhalb eines Tages nach dem Versand.
parcels-all-delivered = { $count ->
    [one] Ihr Paket wurde zugestellt
   *[other] Alle { $count } Pakete zugestellt
}
parcels-heading = Ihre Bestellung wird in { $count } Paketen versendet
parcels-tally = { $delivered } von { $count } zugestellt
parcels-list = Pakete
parcel-of = Paket { $n } von { $count }
parcel-updates = { $count ->
    [one] Aktualisierung (1)
   *[other] Aktualisierungen ({ $count })
}

## Statuses
status-pending = Bestellung eingegangen
status-info-received = Versandetikett erstellt
status-in-transit = Unterwegs
status-out-for-delivery = In Zustellung
status-attempt-fail = Zustellversuch erfolgt
status-available-for-pickup = Zur Abholung bereit
status-delivered = Zugestellt
status-exception = Zustellproblem
status-expired = Sendungsverfolgung abgelaufen
step-ordered = Bestellt
step-shipped = Versandt
step-in-transit = Unterwegs
step-out-for-delivery = In Zustellung
step-delivered = Zugestellt
hint-attempt-fail = Der Versanddienstleister hat versucht, Ihr Paket zuzustellen. Die neueste Aktualisierung unten zeigt, wie es weitergeht.
hint-available-for-pickup = Ihr Paket liegt für Sie bereit. Die neueste Aktualisierung unten zeigt, wo Sie es abholen können.
hint-exception = Der Versanddienstleister hat ein Problem mit dieser Zustellung gemeldet. Wenn es nicht bald gelöst wird, wenden Sie sich an { $brand }.
hint-expired = Der Versanddienstleister aktualisiert diese Sendung nicht mehr. Falls Ihr Paket nicht angekommen ist, wenden Sie sich an { $brand }.

## The consent block
consent-heading = SMS von { $brand } erhalten
consent-country = Land
consent-phone = Mobilnummer
consent-phone-example = Zum Beispiel { $example }
consent-points = { $count ->
    [one] Melden Sie sich an und sammeln Sie { $count } Treuepunkt.
   *[other] Melden Sie sich an und sammeln Sie { $count } Treuepunkte.
}
consent-which-number = An welche Nummer sollen die SMS gesendet werden?
consent-order-number = Die Nummer aus meiner Bestellung, { $masked }
consent-other-number = Eine andere Nummer (unten eingeben)
consent-submit = Für SMS anmelden
consent-sending = Anmeldung läuft…
consent-preview-note = Vorschau: Über diese Kopie wird nichts gesendet.
consent-sandbox-note = Sandbox: Diese Anmeldung geht an die Sandbox von Tracklight; es werden keine SMS versendet.
consent-provider-form = Für SMS anmelden
consent-provider-sandbox-note = Sandbox: Dies ist der Platzhalter der Sandbox für das eigene Anmeldeformular des Shops; es werden keine SMS versendet.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Ja, senden Sie mir wiederkehrende automatisierte Marketing-SMS von { $brand } an die oben angegebene Nummer.
disclosure-not-a-condition = Die Einwilligung ist keine Voraussetzung für einen Kauf.
disclosure-frequency = Die Häufigkeit der Nachrichten variiert.
disclosure-rates = Es können Gebühren für Nachrichten und Daten anfallen.
disclosure-help-stop = Antworten Sie HELP für Hilfe und STOP zum Abbestellen.
disclosure-links = Lesen Sie unsere { $terms } und unsere { $privacy }.
disclosure-terms = Nutzungsbedingungen
disclosure-privacy = Datenschutzerklärung
done-title = Sie sind für SMS angemeldet
done-text = Wir senden SMS an { $phone }. Antworten Sie jederzeit STOP, um sie abzubestellen.
done-confirm-title = Bitte bestätigen Sie auf Ihrem Telefon
done-confirm-text = Wir haben Ihnen zur Bestätigung eine SMS an { $phone } gesendet. Antworten Sie auf diese SMS, um den SMS-Empfang zu starten; antworten Sie jederzeit STOP, um ihn abzubestellen.

## Errors the consent block shows
error-rate-limited = Zu viele Versuche in kurzer Zeit. Bitte warten Sie einige Minuten.
error-not-found = Dieser Link zur Sendungsverfolgung ist nicht mehr gültig.
error-unavailable = Der Dienst ist ausgelastet; bitte versuchen Sie es gleich noch einmal.
error-internal = Bei uns ist ein Fehler aufgetreten; bitte versuchen Sie es noch einmal.
error-consent-unticked = Setzen Sie das Häkchen, um dem Erhalt von SMS zuzustimmen.
error-country = Wählen Sie Ihr Land aus der Liste.
error-form-expired = Dieses Formular ist abgelaufen. Laden Sie die Seite neu und versuchen Sie es noch einmal.
error-text-changed = Der Anmeldetext hat sich geändert, seit diese Seite geladen wurde. Laden Sie die Seite neu, lesen Sie den Text erneut und senden Sie das Formular noch einmal ab.
error-provider-form = Dieser Shop nimmt SMS-Anmeldungen über ein eigenes Formular entgegen. Laden Sie die Seite neu, um es anzuzeigen.
error-not-available = SMS-Anmeldungen sind für diesen Shop derzeit nicht verfügbar.
error-not-for-order = SMS-Anmeldungen sind für diese Bestellung nicht verfügbar.
error-no-order-phone = Ihre Bestellung enthält keine Mobilnummer. Bitte geben Sie eine ein.
error-two-phones = Über diesen Link zur Sendungsverfolgung wurden bereits zwei Nummern angemeldet. Um Ihre Nummer zu ändern, wenden Sie sich an den Shop.
error-country-not-kept = Dieser Shop kann keine SMS-Anmeldungen für Nummern aus dem Land { $country } annehmen.
error-countries-none = Dieser Shop nimmt derzeit keine SMS-Anmeldungen an.
error-countries-one = Dieser Shop nimmt SMS-Anmeldungen nur für Nummern aus dem Land { $country } an.
error-countries-many = Dieser Shop nimmt SMS-Anmeldungen nur für Nummern aus diesen Ländern an: { $countries }.
phone-empty = Geben Sie Ihre Mobilnummer ein.
phone-too-short = Diese Nummer ist zu kurz.
phone-too-long = Diese Nummer ist zu lang.
phone-unreadable = Wir konnten diese Nummer nicht erkennen. Prüfen Sie sie oder wählen Sie Ihr Land aus.
phone-invalid-for = Dies ist keine gültige Nummer für das Land { $country }. Prüfen Sie sie oder wählen Sie Ihr Land aus.
phone-landline = Dies scheint eine Festnetznummer zu sein. Geben Sie eine Mobilnummer ein, die SMS empfangen kann.
phone-toll-free = Dies ist eine gebührenfreie Nummer, die keine SMS empfangen kann. Geben Sie eine Mobilnummer ein.
phone-premium-rate = Dies ist eine Mehrwertdienstnummer, die keine SMS empfangen kann. Geben Sie eine Mobilnummer ein.
phone-shared-cost = Dies ist eine Rufnummer mit geteilten Kosten, die keine SMS empfangen kann. Geben Sie eine Mobilnummer ein.
phone-uan = Dies ist die zentrale Rufnummer eines Unternehmens, die keine SMS empfangen kann. Geben Sie eine Mobilnummer ein.
phone-voicemail = Dies ist eine Sprachbox-Nummer, die keine SMS empfangen kann. Geben Sie eine Mobilnummer ein.
phone-pager = Dies ist eine Pager-Nummer, die keine SMS empfangen kann. Geben Sie eine Mobilnummer ein.
phone-not-mobile = Diese Nummer kann keine SMS empfangen. Geben Sie eine Mobilnummer ein.

## The store's order look-up ("Track your order")
lookup-title = Bestellung verfolgen
lookup-page-title = Bestellung verfolgen · { $brand }
lookup-page-title-error = Prüfen und erneut versuchen: Bestellung verfolgen · { $brand }
lookup-intro-email = Geben Sie Ihre Bestellnummer und die E-Mail-Adresse aus Ihrer Bestellbestätigung ein.
lookup-intro-postcode = Geben Sie Ihre Bestellnummer und die Postleitzahl der Lieferadresse aus Ihrer Bestellbestätigung ein.
lookup-order = Bestellnummer
lookup-email = E-Mail-Adresse
lookup-postcode = Postleitzahl
lookup-submit = Meine Bestellung finden
lookup-unavailable = Die Bestellsuche ist derzeit nicht verfügbar
lookup-error-order = Geben Sie die Bestellnummer aus Ihrer Bestellbestätigung ein.
lookup-error-email = Geben Sie die E-Mail-Adresse ein, mit der Sie bestellt haben, z. B. ana@example.com.
lookup-error-postcode = Geben Sie die Postleitzahl der Lieferadresse ein, z. B. 10115 oder SW1A 1AA.
lookup-no-match-email = Wir konnten keine Bestellung mit dieser Nummer und dieser E-Mail-Adresse finden. Vergleichen Sie beides mit Ihrer Bestellbestätigung.
lookup-no-match-postcode = Wir konnten keine Bestellung mit dieser Nummer und der Postleitzahl der Lieferadresse finden. Vergleichen Sie beides mit Ihrer Bestellbestätigung.
lookup-not-shipped = Wir haben Ihre Bestellung gefunden, sie wurde aber noch nicht versendet. Sobald das geschieht, erscheint die Sendungsverfolgung hier.

## Photos of a delivered order
photos-title = Teilen Sie ein Foto Ihrer Bestellung
photos-intro = Zeigen Sie uns, wie sie angekommen ist. { $brand } sieht sich jedes Foto an, bevor es irgendwo erscheint.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Sammeln Sie { $count } Treuepunkt, wenn { $brand } Ihr Foto freigibt.
   *[other] Sammeln Sie { $count } Treuepunkte, wenn { $brand } Ihr Foto freigibt.
}
photos-files = Fotos oder ein kurzes Video
photos-files-hint = Fotos im Format JPEG, PNG oder WebP mit jeweils bis zu { $image_mb } MB oder ein MP4-Video mit bis zu { $video_mb } MB und { $seconds } Sekunden; höchstens { $count } Dateien auf einmal.
photos-caption = Bildunterschrift (optional)
photos-submit = Teilen
photos-uploading = Wird hochgeladen… { $percent } %
photos-sent = Vielen Dank! { $brand } sieht sich an, was Sie geteilt haben, bevor es irgendwo erscheint.
photos-again = Weiteres Foto teilen
photos-back = Zurück zu Ihrer Sendungsverfolgung
photos-error-none = Wählen Sie mindestens ein Foto oder Video aus.
photos-error-type = Diese Datei ist kein Foto oder Video, das wir annehmen können: Wählen Sie ein Foto im Format JPEG, PNG oder WebP oder ein MP4-Video.
photos-error-heic = HEIC-Fotos können hier noch nicht gelesen werden: Wählen Sie in Ihren Kameraeinstellungen „Maximale Kompatibilität“ (JPEG) oder teilen Sie einen Screenshot des Fotos.
photos-error-damaged = Diese Datei scheint beschädigt oder unvollständig zu sein: Wählen Sie sie erneut aus oder nehmen Sie eine andere.
photos-error-too-big = Diese Datei ist zu groß: Fotos bis zu { $image_mb } MB, Videos bis zu { $video_mb } MB.
photos-error-too-large = Dieses Foto hat zu viele Pixel: höchstens { $megapixels } Megapixel.
photos-error-too-long = Dieses Video ist zu lang: höchstens { $seconds } Sekunden.
photos-error-too-many = Wählen Sie höchstens { $count } Dateien auf einmal aus.
photos-error-caption = Die Bildunterschrift ist zu lang: höchstens { $count } Zeichen.
photos-error-limit = Zu dieser Bestellung können keine weiteren Fotos hinzugefügt werden.
photos-error-busy = Gerade werden zu viele Dateien hochgeladen: Bitte versuchen Sie es später noch einmal.
photos-error-failed = Das Hochladen wurde nicht abgeschlossen: Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
photos-error-unavailable = Für diese Bestellung können keine Fotos geteilt werden.
