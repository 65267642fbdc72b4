# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Dutch (informal "je"). Every language is one file like this one,
# `locales/{tag}/shopper.ftl`, with every message below. `{ $name }` placeables are filled in by
# the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Nederlands
language-switcher-label = Taal
language-switcher-submit = Wijzigen

## Page chrome
tracking-by = Zending volgen via Tracklight
sandbox-banner-title = Testmodus
sandbox-banner-text = Sms-aanmeldingen gaan naar de ingebouwde testomgeving van Tracklight. Er worden geen sms-berichten verstuurd.
page-title = { $status } · { $brand }
not-found-title = Pagina niet gevonden
not-found-text = We konden deze pagina niet vinden. Controleer de link in je verzendbevestiging.
unavailable-title = Je zending volgen is op dit moment niet mogelijk
unavailable-text = Er is aan onze kant iets misgegaan. Probeer het zo nog eens.

## The shipment
greeting-named = Hoi { $name }, hier is je bestelling #{ $order }
greeting = Bestelling #{ $order }
refresh = Vernieuwen
refresh-checking = Controleren op nieuwe meldingen…
refresh-done = Alles is bijgewerkt.
refresh-failed = Controleren op nieuwe meldingen is niet gelukt. Probeer het zo nog eens.
shipping-to = Verzenden naar
carrier = Vervoerder
tracking-number = Zendingsnummer
carrier-site-note = (op de website van de vervoerder, opent in een nieuw tabblad)
delivered-at = Bezorgd op { $when }
estimated-delivery = Verwachte bezorging: { $date }
progress-label = Voortgang van de bezorging
progress-label-parcel = Voortgang van de bezorging van pakket { $n }
shipment-updates = Meldingen over je zending
no-updates = Nog geen meldingen van de vervoerder. Die verschijnen meestal binnen een dag na verzending.
parcels-all-delivered = { $count ->
    [one] Je pakket is bezorgd
   *[other] Alle { $count } pakketten zijn bezorgd
}
parcels-heading = Je bestelling wordt in { $count } pakketten verzonden
parcels-tally = { $delivered } van { $count } bezorgd
parcels-list = Pakketten
parcel-of = Pakket { $n } van { $count }
parcel-updates = { $count ->
    [one] Meldingen (1)
   *[other] Meldingen ({ $count })
}

## Statuses
status-pending = Bestelling ontvangen
status-info-received = Verzendlabel aangemaakt
status-in-transit = Onderweg
status-out-for-delivery = Bezorger is onderweg
status-attempt-fail = Bezorgpoging gedaan
status-available-for-pickup = Klaar om op te halen
status-delivered = Bezorgd
status-exception = Probleem met de bezorging
status-expired = Volgen verlopen
step-ordered = Besteld
step-shipped = Verzonden
step-in-transit = Onderweg
step-out-for-delivery = Bezorger onderweg
step-delivered = Bezorgd
hint-attempt-fail = De vervoerder heeft geprobeerd je pakket te bezorgen. In de laatste melding hieronder lees je wat er nu gebeurt.
hint-available-for-pickup = Je pakket ligt voor je klaar. In de laatste melding hieronder staat waar je het kunt ophalen.
hint-exception = De vervoerder heeft een probleem met deze bezorging gemeld. Is het niet snel opgelost, neem dan contact op met { $brand }.
hint-expired = De vervoerder werkt de gegevens van deze zending niet meer bij. Is je pakket niet aangekomen, neem dan contact op met { $brand }.

## The consent block
consent-heading = Ontvang sms-berichten van { $brand }
consent-country = Land
consent-phone = Mobiel nummer
consent-phone-example = Bijvoorbeeld { $example }
consent-points = { $count ->
    [one] Meld je aan en verdien { $count } spaarpunt.
   *[other] Meld je aan en verdien { $count } spaarpunten.
}
consent-which-number = Op welk nummer wil je de sms-berichten ontvangen?
consent-order-number = Het nummer van mijn bestelling, { $masked }
consent-other-number = Een ander nummer (vul het hieronder in)
consent-submit = Aanmelden voor sms-berichten
consent-sending = Je wordt aangemeld…
consent-preview-note = Voorbeeld: deze kopie verstuurt niets.
consent-sandbox-note = Testomgeving: deze aanmelding gaat naar de testomgeving van Tracklight; er worden geen sms-berichten verstuurd.
consent-provider-form = Aanmelden voor sms-berichten
consent-provider-sandbox-note = Testomgeving: dit is de vervanger uit de testomgeving voor het eigen aanmeldformulier van de winkel; er worden geen sms-berichten verstuurd.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Ja, stuur me terugkerende, geautomatiseerde marketingberichten per sms van { $brand } op het nummer hierboven.
disclosure-not-a-condition = Toestemming is geen voorwaarde voor aankoop.
disclosure-frequency = De berichtfrequentie varieert.
disclosure-rates = Er kunnen kosten voor berichten en data in rekening worden gebracht.
disclosure-help-stop = Antwoord HELP voor hulp en STOP om je af te melden.
disclosure-links = Bekijk onze { $terms } en ons { $privacy }.
disclosure-terms = Voorwaarden
disclosure-privacy = Privacybeleid
done-title = Je bent aangemeld voor sms-berichten
done-text = We sturen sms-berichten naar { $phone }. Antwoord op elk moment STOP om je af te melden.
done-confirm-title = Bevestig de aanmelding op je telefoon
done-confirm-text = We hebben een sms naar { $phone } gestuurd ter bevestiging. Beantwoord die sms om sms-berichten te gaan ontvangen; antwoord op elk moment STOP om je af te melden.

## Errors the consent block shows
error-rate-limited = Te veel pogingen in korte tijd. Wacht een paar minuten.
error-not-found = Deze link om je zending te volgen is niet meer geldig.
error-unavailable = Het is op dit moment erg druk; probeer het zo nog eens.
error-internal = Er is aan onze kant iets misgegaan; probeer het nog eens.
error-consent-unticked = Vink het vakje aan om akkoord te gaan met het ontvangen van sms-berichten.
error-country = Kies je land uit de lijst.
error-form-expired = Dit formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.
error-text-changed = De aanmeldtekst is gewijzigd sinds deze pagina werd geladen. Laad de pagina opnieuw, lees de tekst nog eens en verstuur het formulier opnieuw.
error-provider-form = Deze winkel neemt sms-aanmeldingen aan via een eigen formulier. Laad de pagina opnieuw om het te zien.
error-not-available = Aanmelden voor sms-berichten is op dit moment niet mogelijk bij deze winkel.
error-not-for-order = Aanmelden voor sms-berichten is niet mogelijk voor deze bestelling.
error-no-order-phone = Bij je bestelling staat geen mobiel nummer. Vul er een in.
error-two-phones = Via deze link om je zending te volgen zijn al twee nummers aangemeld. Neem contact op met de winkel om je nummer te wijzigen.
error-country-not-kept = Deze winkel kan geen sms-aanmeldingen aannemen voor nummers uit { $country }.
error-countries-none = Deze winkel neemt op dit moment geen sms-aanmeldingen aan.
error-countries-one = Deze winkel neemt alleen sms-aanmeldingen aan voor nummers uit { $country }.
error-countries-many = Deze winkel neemt alleen sms-aanmeldingen aan voor nummers uit deze landen: { $countries }.
phone-empty = Vul je mobiele nummer in.
phone-too-short = Dit nummer is te kort.
phone-too-long = Dit nummer is te lang.
phone-unreadable = We konden dit nummer niet lezen. Controleer het of kies je land.
phone-invalid-for = Dit is geen geldig nummer voor { $country }. Controleer het of kies je land.
phone-landline = Dit lijkt een vast nummer. Vul een mobiel nummer in dat sms-berichten kan ontvangen.
phone-toll-free = Dit is een gratis nummer, dat geen sms-berichten kan ontvangen. Vul een mobiel nummer in.
phone-premium-rate = Dit is een betaalnummer, dat geen sms-berichten kan ontvangen. Vul een mobiel nummer in.
phone-shared-cost = Dit is een nummer met gedeelde kosten, dat geen sms-berichten kan ontvangen. Vul een mobiel nummer in.
phone-uan = Dit is het centrale nummer van een bedrijf, dat geen sms-berichten kan ontvangen. Vul een mobiel nummer in.
phone-voicemail = Dit is een voicemailnummer, dat geen sms-berichten kan ontvangen. Vul een mobiel nummer in.
phone-pager = Dit is een semafoonnummer, dat geen sms-berichten kan ontvangen. Vul een mobiel nummer in.
phone-not-mobile = Dit nummer kan geen sms-berichten ontvangen. Vul een mobiel nummer in.

## The store's order look-up ("Track your order")
lookup-title = Volg je bestelling
lookup-page-title = Volg je bestelling · { $brand }
lookup-page-title-error = Controleer en probeer het opnieuw: Volg je bestelling · { $brand }
lookup-intro-email = Vul je bestelnummer en het e-mailadres uit je orderbevestiging in.
lookup-intro-postcode = Vul je bestelnummer en de postcode van het bezorgadres uit je orderbevestiging in.
lookup-order = Bestelnummer
lookup-email = E-mailadres
lookup-postcode = Postcode
lookup-submit = Zoek mijn bestelling
lookup-unavailable = Bestellingen opzoeken is op dit moment niet mogelijk
lookup-error-order = Vul het bestelnummer uit je orderbevestiging in.
lookup-error-email = Vul het e-mailadres in waarmee je hebt besteld, zoals ana@example.com.
lookup-error-postcode = Vul de postcode van het bezorgadres in, zoals 10115 of SW1A 1AA.
lookup-no-match-email = We konden geen bestelling vinden met dat nummer en dat e-mailadres. Vergelijk beide met je orderbevestiging.
lookup-no-match-postcode = We konden geen bestelling vinden met dat nummer en die postcode. Vergelijk beide met je orderbevestiging.
lookup-not-shipped = We hebben je bestelling gevonden, maar die is nog niet verzonden. Zodra dat gebeurt, kun je hier de zending volgen.

## Photos of a delivered order
photos-title = Deel een foto van je bestelling
photos-intro = Laat zien hoe je bestelling is aangekomen. { $brand } bekijkt elke foto voordat die ergens verschijnt.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Verdien { $count } spaarpunt als { $brand } je foto goedkeurt.
   *[other] Verdien { $count } spaarpunten als { $brand } je foto goedkeurt.
}
photos-files = Foto’s of een korte video
photos-files-hint = JPEG-, PNG- of WebP-foto’s van maximaal { $image_mb } MB per stuk, of een MP4-video van maximaal { $video_mb } MB en { $seconds } seconden; maximaal { $count } bestanden tegelijk.
photos-caption = Bijschrift (optioneel)
photos-submit = Delen
photos-uploading = Bezig met uploaden… { $percent }%
photos-sent = Bedankt! { $brand } bekijkt wat je hebt gedeeld voordat het ergens verschijnt.
photos-again = Nog een foto delen
photos-back = Terug naar je zending
photos-error-none = Kies ten minste één foto of video.
photos-error-type = Dat bestand is geen foto of video die we kunnen aannemen: kies een JPEG-, PNG- of WebP-foto of een MP4-video.
photos-error-heic = HEIC-foto’s kunnen hier nog niet worden gelezen: kies ‘Meest compatibel’ (JPEG) in je camera-instellingen, of deel een screenshot van de foto.
photos-error-damaged = Dat bestand lijkt beschadigd of onvolledig: kies het opnieuw of kies een ander bestand.
photos-error-too-big = Dat bestand is te groot: foto’s tot { $image_mb } MB, video’s tot { $video_mb } MB.
photos-error-too-large = Die foto heeft te veel pixels: maximaal { $megapixels } megapixel.
photos-error-too-long = Die video is te lang: maximaal { $seconds } seconden.
photos-error-too-many = Kies maximaal { $count } bestanden tegelijk.
photos-error-caption = Het bijschrift is te lang: maximaal { $count } tekens.
photos-error-limit = Bij deze bestelling kunnen geen foto’s meer worden toegevoegd.
photos-error-busy = Er wordt nu te veel tegelijk geüpload: probeer het later opnieuw.
photos-error-failed = Het uploaden is niet gelukt: controleer je verbinding en probeer het opnieuw.
photos-error-unavailable = Voor deze bestelling kunnen geen foto’s worden gedeeld.
