# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Italian (formal "Lei"). Every language is one file like this one, `locales/{tag}/shopper.ftl`,
# with every message below. `{ $name }` placeables are filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Italiano
language-switcher-label = Lingua
language-switcher-submit = Cambia

## Page chrome
tracking-by = Tracciamento fornito da Tracklight
sandbox-banner-title = Modalità di prova
sandbox-banner-text = Le iscrizioni agli SMS vengono inviate all’ambiente di prova integrato di Tracklight. Non viene inviato alcun SMS.
page-title = { $status } · { $brand }
not-found-title = Pagina non trovata
not-found-text = Non è stato possibile trovare questa pagina. Controlli il link nell’email di spedizione.
unavailable-title = Il tracciamento non è disponibile al momento
unavailable-text = Si è verificato un problema da parte nostra. Riprovi tra un momento.

## The shipment
greeting-named = Salve { $name }, ecco il suo ordine #{ $order }
greeting = Ordine #{ $order }
refresh = Aggiorna
refresh-checking = Ricerca di aggiornamenti…
refresh-done = Tutto aggiornato.
refresh-failed = Impossibile verificare la presenza di aggiornamenti. Riprovi tra un momento.
shipping-to = Spedizione a
carrier = Corriere
tracking-number = Numero di tracciamento
carrier-site-note = (sul sito del corriere, si apre in una nuova scheda)
delivered-at = Consegnato il { $when }
estimated-delivery = Consegna prevista: { $date }
progress-label = Avanzamento della consegna
progress-label-parcel = Avanzamento della consegna del pacco { $n }
shipment-updates = Aggiornamenti sulla spedizione
no-updates = Ancora nessun aggiornamento dal corriere. Di solito compaiono entro un giorno dalla spedizione.
parcels-all-delivered = { $count ->
    [one] Il suo pacco è stato consegnato
   *[other] Tutti i { $count } pacchi sono stati consegnati
}
parcels-heading = Il suo ordine viene spedito in { $count } pacchi
parcels-tally = { $delivered } di { $count } consegnati
parcels-list = Pacchi
parcel-of = Pacco { $n } di { $count }
parcel-updates = { $count ->
    [one] Aggiornamento (1)
   *[other] Aggiornamenti ({ $count })
}

## Statuses
status-pending = Ordine ricevuto
status-info-received = Etichetta creata
status-in-transit = In transito
status-out-for-delivery = In consegna
status-attempt-fail = Tentativo di consegna
status-available-for-pickup = Pronto per il ritiro
status-delivered = Consegnato
status-exception = Problema di consegna
status-expired = Tracciamento scaduto
step-ordered = Ordinato
step-shipped = Spedito
step-in-transit = In transito
step-out-for-delivery = In consegna
step-delivered = Consegnato
hint-attempt-fail = Il corriere ha tentato di consegnare il suo pacco. Consulti l’ultimo aggiornamento qui sotto per sapere cosa succede ora.
hint-available-for-pickup = Il suo pacco la sta aspettando. L’ultimo aggiornamento qui sotto indica dove ritirarlo.
hint-exception = Il corriere ha segnalato un problema con questa consegna. Se non viene risolto a breve, contatti { $brand }.
hint-expired = Il corriere ha smesso di aggiornare questa spedizione. Se il suo pacco non è arrivato, contatti { $brand }.

## The consent block
consent-heading = Ricevere SMS da { $brand }
consent-country = Paese
consent-phone = Numero di cellulare
consent-phone-example = Ad esempio { $example }
consent-points = { $count ->
    [one] Si iscriva e guadagni { $count } punto fedeltà.
   *[other] Si iscriva e guadagni { $count } punti fedeltà.
}
consent-which-number = Quale numero deve ricevere gli SMS?
consent-order-number = Il numero del mio ordine, { $masked }
consent-other-number = Un altro numero (lo inserisca qui sotto)
consent-submit = Iscrivimi agli SMS
consent-sending = Iscrizione in corso…
consent-preview-note = Anteprima: questa copia non invia nulla.
consent-sandbox-note = Ambiente di prova: questa iscrizione viene inviata all’ambiente di prova di Tracklight; non viene inviato alcun SMS.
consent-provider-form = Iscrivimi agli SMS
consent-provider-sandbox-note = Ambiente di prova: questo sostituisce, nell’ambiente di prova, il modulo di iscrizione proprio del negozio; non viene inviato alcun SMS.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Sì, inviatemi SMS di marketing ricorrenti e automatizzati da parte di { $brand } al numero indicato sopra.
disclosure-not-a-condition = Il consenso non è una condizione per l’acquisto.
disclosure-frequency = La frequenza dei messaggi varia.
disclosure-rates = Potrebbero essere applicate tariffe per messaggi e dati.
disclosure-help-stop = Risponda HELP per ricevere assistenza e STOP per annullare l’iscrizione.
disclosure-links = Consulti i nostri { $terms } e la nostra { $privacy }.
disclosure-terms = Termini e condizioni
disclosure-privacy = Informativa sulla privacy
done-title = Iscrizione agli SMS completata
done-text = Invieremo gli SMS al numero { $phone }. Risponda STOP in qualsiasi momento per annullare l’iscrizione.
done-confirm-title = Confermi dal suo telefono
done-confirm-text = Abbiamo inviato un SMS di conferma al numero { $phone }. Risponda a quel messaggio per iniziare a ricevere gli SMS; risponda STOP in qualsiasi momento per annullare l’iscrizione.

## Errors the consent block shows
error-rate-limited = Troppi tentativi in poco tempo. Attenda qualche minuto.
error-not-found = Questo link di tracciamento non è più valido.
error-unavailable = Il servizio è sovraccarico; riprovi tra un momento.
error-internal = Si è verificato un problema da parte nostra; riprovi.
error-consent-unticked = Selezioni la casella per accettare di ricevere SMS.
error-country = Scelga il suo paese dall’elenco.
error-form-expired = Questo modulo è scaduto. Ricarichi la pagina e riprovi.
error-text-changed = Il testo dell’iscrizione è cambiato da quando questa pagina è stata caricata. Ricarichi la pagina, lo rilegga e invii di nuovo il modulo.
error-provider-form = Questo negozio raccoglie le iscrizioni agli SMS tramite un proprio modulo. Ricarichi la pagina per visualizzarlo.
error-not-available = Le iscrizioni agli SMS non sono disponibili per questo negozio al momento.
error-not-for-order = Le iscrizioni agli SMS non sono disponibili per questo ordine.
error-no-order-phone = Il suo ordine non contiene un numero di cellulare. Ne inserisca uno.
error-two-phones = Con questo link di tracciamento sono già stati iscritti due numeri. Per modificare il suo, contatti il negozio.
error-country-not-kept = Questo negozio non può accettare iscrizioni agli SMS per numeri di questo paese: { $country }.
error-countries-none = Questo negozio al momento non accetta iscrizioni agli SMS.
error-countries-one = Questo negozio accetta iscrizioni agli SMS solo per numeri di questo paese: { $country }.
error-countries-many = Questo negozio accetta iscrizioni agli SMS solo per numeri di questi paesi: { $countries }.
phone-empty = Inserisca il suo numero di cellulare.
phone-too-short = Questo numero è troppo corto.
phone-too-long = Questo numero è troppo lungo.
phone-unreadable = Non è stato possibile leggere questo numero. Lo controlli o scelga il suo paese.
phone-invalid-for = Questo numero non è valido per questo paese: { $country }. Lo controlli o scelga il suo paese.
phone-landline = Sembra un numero di rete fissa. Inserisca un numero di cellulare in grado di ricevere SMS.
phone-toll-free = Questo è un numero verde, che non può ricevere SMS. Inserisca un numero di cellulare.
phone-premium-rate = Questo è un numero a tariffazione maggiorata, che non può ricevere SMS. Inserisca un numero di cellulare.
phone-shared-cost = Questo è un numero a costo ripartito, che non può ricevere SMS. Inserisca un numero di cellulare.
phone-uan = Questo è il numero centralizzato di un’azienda, che non può ricevere SMS. Inserisca un numero di cellulare.
phone-voicemail = Questo è un numero di segreteria telefonica, che non può ricevere SMS. Inserisca un numero di cellulare.
phone-pager = Questo è un numero di cercapersone, che non può ricevere SMS. Inserisca un numero di cellulare.
phone-not-mobile = Questo numero non può ricevere SMS. Inserisca un numero di cellulare.

## The store's order look-up ("Track your order")
lookup-title = Tracciamento dell’ordine
lookup-page-title = Tracciamento dell’ordine · { $brand }
lookup-page-title-error = Controlli e riprovi: Tracciamento dell’ordine · { $brand }
lookup-intro-email = Inserisca il numero d’ordine e l’indirizzo email indicati nella conferma d’ordine.
lookup-intro-postcode = Inserisca il numero d’ordine e il codice postale di spedizione indicati nella conferma d’ordine.
lookup-order = Numero d’ordine
lookup-email = Indirizzo email
lookup-postcode = Codice postale
lookup-submit = Trova il mio ordine
lookup-unavailable = La ricerca degli ordini non è disponibile al momento
lookup-error-order = Inserisca il numero d’ordine indicato nella conferma d’ordine.
lookup-error-email = Inserisca l’indirizzo email usato per l’ordine, ad esempio ana@example.com.
lookup-error-postcode = Inserisca il codice postale dell’indirizzo di spedizione, ad esempio 10115 o SW1A 1AA.
lookup-no-match-email = Non abbiamo trovato alcun ordine con questo numero e questo indirizzo email. Li confronti con la conferma d’ordine.
lookup-no-match-postcode = Non abbiamo trovato alcun ordine con questo numero e questo codice postale di spedizione. Li confronti con la conferma d’ordine.
lookup-not-shipped = Abbiamo trovato il suo ordine, ma non è ancora stato spedito. Il tracciamento comparirà qui non appena verrà spedito.

## Photos of a delivered order
photos-title = Condivida una foto del suo ordine
photos-intro = Ci mostri com’è arrivato. { $brand } controlla ogni foto prima che venga pubblicata.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Guadagni { $count } punto fedeltà quando { $brand } approva la sua foto.
   *[other] Guadagni { $count } punti fedeltà quando { $brand } approva la sua foto.
}
photos-files = Foto o un breve video
photos-files-hint = Foto JPEG, PNG o WebP fino a { $image_mb } MB ciascuna, oppure un video MP4 fino a { $video_mb } MB e { $seconds } secondi; al massimo { $count } file alla volta.
photos-caption = Didascalia (facoltativa)
photos-submit = Condividi
photos-uploading = Caricamento in corso… { $percent }%
photos-sent = Grazie! { $brand } controllerà ciò che ha condiviso prima che venga pubblicato.
photos-again = Condividi un’altra foto
photos-back = Torna alla pagina di tracciamento
photos-error-none = Scelga almeno una foto o un video.
photos-error-type = Questo file non è una foto o un video che possiamo accettare: scelga una foto JPEG, PNG o WebP oppure un video MP4.
photos-error-heic = Qui non è ancora possibile leggere le foto HEIC: scelga «Più compatibile» (JPEG) nelle impostazioni della fotocamera oppure condivida uno screenshot della foto.
photos-error-damaged = Questo file sembra danneggiato o incompleto: lo scelga di nuovo o ne scelga un altro.
photos-error-too-big = Questo file è troppo grande: foto fino a { $image_mb } MB, video fino a { $video_mb } MB.
photos-error-too-large = Questa foto ha troppi pixel: al massimo { $megapixels } megapixel.
photos-error-too-long = Questo video è troppo lungo: al massimo { $seconds } secondi.
photos-error-too-many = Scelga al massimo { $count } file alla volta.
photos-error-caption = La didascalia è troppo lunga: al massimo { $count } caratteri.
photos-error-limit = Non è possibile aggiungere altre foto a questo ordine.
photos-error-busy = Troppi caricamenti in questo momento: riprovi più tardi.
photos-error-failed = Il caricamento non è stato completato: controlli la connessione e riprovi.
photos-error-unavailable = Non è possibile condividere foto per questo ordine.
