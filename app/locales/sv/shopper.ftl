# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Swedish. Every language is one file like this one, `locales/{tag}/shopper.ftl`,
# with every message below. `{ $name }` placeables are filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Svenska
language-switcher-label = Språk
language-switcher-submit = Byt

## Page chrome
tracking-by = Spårning via Tracklight
sandbox-banner-title = Sandlådeläge
sandbox-banner-text = Sms-anmälningar går till Tracklights inbyggda sandlåda. Inga sms skickas.
page-title = { $status } · { $brand }
not-found-title = Sidan hittades inte
not-found-text = Vi kunde inte hitta den här sidan. Kontrollera länken i mejlet om din försändelse.
unavailable-title = Spårningen är inte tillgänglig just nu
unavailable-text = Något gick fel hos oss. Försök igen om en stund.

## The shipment
greeting-named = Hej { $name }, här är din beställning #{ $order }
greeting = Beställning #{ $order }
refresh = Uppdatera
refresh-checking = Söker efter uppdateringar…
refresh-done = Allt är aktuellt.
refresh-failed = Det gick inte att söka efter uppdateringar. Försök igen om en stund.
shipping-to = Levereras till
carrier = Transportör
tracking-number = Spårningsnummer
carrier-site-note = (på transportörens webbplats, öppnas i en ny flik)
delivered-at = Levererat { $when }
estimated-delivery = Beräknad leverans { $date }
progress-label = Leveransförlopp
progress-label-parcel = Leveransförlopp för paket { $n }
shipment-updates = Uppdateringar om försändelsen
no-updates = Inga uppdateringar från transportören ännu. De brukar dyka upp inom ett dygn efter att paketet har skickats.
parcels-all-delivered = { $count ->
    [one] Ditt paket har levererats
   *[other] Alla { $count } paket har levererats
}
parcels-heading = Din beställning skickas i { $count } paket
parcels-tally = { $delivered } av { $count } levererade
parcels-list = Paket
parcel-of = Paket { $n } av { $count }
parcel-updates = { $count ->
    [one] Uppdateringar (1)
   *[other] Uppdateringar ({ $count })
}

## Statuses
status-pending = Beställning mottagen
status-info-received = Fraktsedel skapad
status-in-transit = På väg
status-out-for-delivery = Ute för leverans
status-attempt-fail = Leveransförsök gjort
status-available-for-pickup = Redo att hämtas
status-delivered = Levererat
status-exception = Leveransproblem
status-expired = Spårningen har upphört
step-ordered = Beställt
step-shipped = Skickat
step-in-transit = På väg
step-out-for-delivery = Ute för leverans
step-delivered = Levererat
hint-attempt-fail = Transportören försökte leverera ditt paket. Se den senaste uppdateringen nedan för vad som händer härnäst.
hint-available-for-pickup = Ditt paket väntar på dig. Den senaste uppdateringen nedan visar var du hämtar det.
hint-exception = Transportören har rapporterat ett problem med den här leveransen. Kontakta { $brand } om det inte löser sig snart.
hint-expired = Transportören har slutat uppdatera den här försändelsen. Kontakta { $brand } om ditt paket inte har kommit fram.

## The consent block
consent-heading = Få sms från { $brand }
consent-country = Land
consent-phone = Mobilnummer
consent-phone-example = Till exempel { $example }
consent-points = Anmäl dig och få { $count } bonuspoäng.
consent-which-number = Till vilket nummer ska vi skicka sms?
consent-order-number = Numret i min beställning, { $masked }
consent-other-number = Ett annat nummer (skriv det nedan)
consent-submit = Anmäl dig till sms
consent-sending = Anmäler dig…
consent-preview-note = Förhandsvisning: den här kopian skickar ingenting.
consent-sandbox-note = Sandlåda: den här anmälan går till Tracklights sandlåda; inga sms skickas.
consent-provider-form = Anmäl dig till sms
consent-provider-sandbox-note = Sandlåda: det här är sandlådans ersättning för butikens eget anmälningsformulär; inga sms skickas.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Ja, skicka återkommande automatiserade marknadsförings-sms från { $brand } till mig på numret ovan.
disclosure-not-a-condition = Samtycke är inte ett villkor för köp.
disclosure-frequency = Meddelandefrekvensen varierar.
disclosure-rates = Avgifter för meddelanden och data kan tillkomma.
disclosure-help-stop = Svara HELP för hjälp och STOP för att avsluta.
disclosure-links = Se våra { $terms } och vår { $privacy }.
disclosure-terms = villkor
disclosure-privacy = integritetspolicy
done-title = Du är anmäld till sms
done-text = Vi skickar sms till { $phone }. Svara STOP när som helst för att avsluta.
done-confirm-title = Bekräfta i din telefon
done-confirm-text = Vi har skickat ett sms till { $phone } för att bekräfta. Svara på det för att börja få sms; svara STOP när som helst för att avsluta.

## Errors the consent block shows
error-rate-limited = För många försök på kort tid. Vänta några minuter.
error-not-found = Den här spårningslänken gäller inte längre.
error-unavailable = Tjänsten är hårt belastad just nu; försök igen om en stund.
error-internal = Något gick fel hos oss; försök igen.
error-consent-unticked = Kryssa i rutan för att godkänna att du får sms.
error-country = Välj ditt land i listan.
error-form-expired = Formuläret har gått ut. Ladda om sidan och försök igen.
error-text-changed = Anmälningstexten har ändrats sedan sidan laddades. Ladda om sidan, läs texten igen och skicka på nytt.
error-provider-form = Den här butiken tar emot sms-anmälningar via sitt eget formulär. Ladda om sidan för att se det.
error-not-available = Sms-anmälningar är inte tillgängliga för den här butiken just nu.
error-not-for-order = Sms-anmälningar är inte tillgängliga för den här beställningen.
error-no-order-phone = Din beställning har inget mobilnummer. Ange ett.
error-two-phones = Två nummer har redan anmälts via den här spårningslänken. Kontakta butiken om du vill byta ditt.
error-country-not-kept = Den här butiken kan inte ta emot sms-anmälningar för nummer från { $country }.
error-countries-none = Den här butiken tar inte emot sms-anmälningar just nu.
error-countries-one = Den här butiken tar bara emot sms-anmälningar för nummer från { $country }.
error-countries-many = Den här butiken tar bara emot sms-anmälningar för nummer från dessa länder: { $countries }.
phone-empty = Ange ditt mobilnummer.
phone-too-short = Numret är för kort.
phone-too-long = Numret är för långt.
phone-unreadable = Vi kunde inte läsa numret. Kontrollera det eller välj ditt land.
phone-invalid-for = Det här är inte ett giltigt nummer för { $country }. Kontrollera det eller välj ditt land.
phone-landline = Det här ser ut att vara ett fast nummer. Ange ett mobilnummer som kan ta emot sms.
phone-toll-free = Det här är ett avgiftsfritt nummer, som inte kan ta emot sms. Ange ett mobilnummer.
phone-premium-rate = Det här är ett betalnummer, som inte kan ta emot sms. Ange ett mobilnummer.
phone-shared-cost = Det här är ett nummer med delad kostnad, som inte kan ta emot sms. Ange ett mobilnummer.
phone-uan = Det här är ett företags växelnummer, som inte kan ta emot sms. Ange ett mobilnummer.
phone-voicemail = Det här är ett nummer till en röstbrevlåda, som inte kan ta emot sms. Ange ett mobilnummer.
phone-pager = Det här är ett personsökarnummer, som inte kan ta emot sms. Ange ett mobilnummer.
phone-not-mobile = Det här numret kan inte ta emot sms. Ange ett mobilnummer.

## The store's order look-up ("Track your order")
lookup-title = Spåra din beställning
lookup-page-title = Spåra din beställning · { $brand }
lookup-page-title-error = Kontrollera och försök igen: Spåra din beställning · { $brand }
lookup-intro-email = Ange ditt ordernummer och e-postadressen från din orderbekräftelse.
lookup-intro-postcode = Ange ditt ordernummer och leveransadressens postnummer från din orderbekräftelse.
lookup-order = Ordernummer
lookup-email = E-postadress
lookup-postcode = Postnummer
lookup-submit = Hitta min beställning
lookup-unavailable = Beställningssökningen är inte tillgänglig just nu
lookup-error-order = Ange ordernumret från din orderbekräftelse.
lookup-error-email = Ange e-postadressen du beställde med, till exempel ana@example.com.
lookup-error-postcode = Ange leveransadressens postnummer, till exempel 10115 eller SW1A 1AA.
lookup-no-match-email = Vi hittade ingen beställning med det numret och den e-postadressen. Jämför båda med din orderbekräftelse.
lookup-no-match-postcode = Vi hittade ingen beställning med det numret och det postnumret. Jämför båda med din orderbekräftelse.
lookup-not-shipped = Vi hittade din beställning, men den har inte skickats än. Spårningen visas här när den har skickats.

## Photos of a delivered order
photos-title = Dela en bild på din beställning
photos-intro = Visa hur den kom fram. { $brand } tittar på varje bild innan den visas någonstans.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = Få { $count } bonuspoäng när { $brand } godkänner din bild.
photos-files = Bilder eller en kort video
photos-files-hint = JPEG-, PNG- eller WebP-bilder på högst { $image_mb } MB vardera, eller en MP4-video på högst { $video_mb } MB och { $seconds } sekunder; högst { $count } filer åt gången.
photos-caption = Bildtext (valfritt)
photos-submit = Dela
photos-uploading = Laddar upp… { $percent } %
photos-sent = Tack! { $brand } tittar på det du har delat innan det visas någonstans.
photos-again = Dela en bild till
photos-back = Tillbaka till spårningssidan
photos-error-none = Välj minst en bild eller video.
photos-error-type = Den filen är inte en bild eller video som vi kan ta emot: välj en JPEG-, PNG- eller WebP-bild eller en MP4-video.
photos-error-heic = HEIC-bilder kan inte läsas här än: välj ”Mest kompatibel” (JPEG) i kamerainställningarna eller dela en skärmbild av bilden.
photos-error-damaged = Filen verkar vara skadad eller ofullständig: välj den igen eller välj en annan.
photos-error-too-big = Filen är för stor: bilder på högst { $image_mb } MB, videor på högst { $video_mb } MB.
photos-error-too-large = Bilden har för många pixlar: högst { $megapixels } megapixlar.
photos-error-too-long = Videon är för lång: högst { $seconds } sekunder.
photos-error-too-many = Välj högst { $count } filer åt gången.
photos-error-caption = Bildtexten är för lång: högst { $count } tecken.
photos-error-limit = Det går inte att lägga till fler bilder till den här beställningen.
photos-error-busy = För många uppladdningar just nu: försök igen senare.
photos-error-failed = Uppladdningen slutfördes inte: kontrollera anslutningen och försök igen.
photos-error-unavailable = Det går inte att dela bilder för den här beställningen.
