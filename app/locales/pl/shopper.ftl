# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Polish (informal "Ty", capitalised as Polish stores do). Every language is one file
# like this one, `locales/{tag}/shopper.ftl`, with every message below. `{ $name }` placeables are
# filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Polski
language-switcher-label = Język
language-switcher-submit = Zmień

## Page chrome
tracking-by = Śledzenie przesyłek zapewnia Tracklight
sandbox-banner-title = Tryb testowy
sandbox-banner-text = Zapisy na SMS-y trafiają do wbudowanego środowiska testowego Tracklight. Żadne SMS-y nie są wysyłane.
page-title = { $status } · { $brand }
not-found-title = Nie znaleziono strony
not-found-text = Nie udało się znaleźć tej strony. Sprawdź link w e-mailu z informacją o wysyłce.
unavailable-title = Śledzenie przesyłki jest w tej chwili niedostępne
unavailable-text = Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę.

## The shipment
greeting-named = Cześć, { $name }, oto Twoje zamówienie #{ $order }
greeting = Zamówienie #{ $order }
refresh = Odśwież
refresh-checking = Sprawdzanie aktualizacji…
refresh-done = Wszystko jest aktualne.
refresh-failed = Nie udało się sprawdzić aktualizacji. Spróbuj ponownie za chwilę.
shipping-to = Wysyłka do
carrier = Przewoźnik
tracking-number = Numer przesyłki
carrier-site-note = (na stronie przewoźnika, otwiera się w nowej karcie)
delivered-at = Dostarczono { $when }
estimated-delivery = Przewidywana dostawa: { $date }
progress-label = Postęp dostawy
progress-label-parcel = Postęp dostawy paczki { $n }
shipment-updates = Aktualizacje przesyłki
no-updates = Przewoźnik nie przekazał jeszcze żadnych aktualizacji. Zwykle pojawiają się w ciągu doby od nadania.
parcels-all-delivered = { $count ->
    [one] Twoja paczka została dostarczona
    [few] Dostarczono wszystkie { $count } paczki
    [many] Dostarczono wszystkie { $count } paczek
   *[other] Dostarczono wszystkie { $count } paczki
}
parcels-heading = Twoje zamówienie zostanie wysłane w { $count } paczkach
parcels-tally = Dostarczono { $delivered } z { $count }
parcels-list = Paczki
parcel-of = Paczka { $n } z { $count }
parcel-updates = { $count ->
    [one] Aktualizacje (1)
    [few] Aktualizacje ({ $count })
    [many] Aktualizacje ({ $count })
   *[other] Aktualizacje ({ $count })
}

## Statuses
status-pending = Zamówienie przyjęte
status-info-received = Utworzono etykietę
status-in-transit = W drodze
status-out-for-delivery = W doręczeniu
status-attempt-fail = Nieudana próba doręczenia
status-available-for-pickup = Czeka na odbiór
status-delivered = Dostarczono
status-exception = Problem z dostawą
status-expired = Śledzenie wygasło
step-ordered = Zamówiono
step-shipped = Wysłano
step-in-transit = W drodze
step-out-for-delivery = W doręczeniu
step-delivered = Dostarczono
hint-attempt-fail = Przewoźnik próbował doręczyć Twoją paczkę. Co dalej, dowiesz się z najnowszej aktualizacji poniżej.
hint-available-for-pickup = Twoja paczka na Ciebie czeka. Z najnowszej aktualizacji poniżej dowiesz się, gdzie ją odebrać.
hint-exception = Przewoźnik zgłosił problem z tą dostawą. Jeśli nie zostanie on wkrótce rozwiązany, skontaktuj się ze sklepem { $brand }.
hint-expired = Przewoźnik przestał aktualizować informacje o tej przesyłce. Jeśli Twoja paczka nie dotarła, skontaktuj się ze sklepem { $brand }.

## The consent block
consent-heading = Otrzymuj SMS-y od { $brand }
consent-country = Kraj
consent-phone = Numer telefonu komórkowego
consent-phone-example = Na przykład { $example }
consent-points = { $count ->
    [one] Zapisz się i zdobądź { $count } punkt lojalnościowy.
    [few] Zapisz się i zdobądź { $count } punkty lojalnościowe.
    [many] Zapisz się i zdobądź { $count } punktów lojalnościowych.
   *[other] Zapisz się i zdobądź { $count } punktu lojalnościowego.
}
consent-which-number = Na który numer wysyłać SMS-y?
consent-order-number = Numer z mojego zamówienia, { $masked }
consent-other-number = Inny numer (wpisz go poniżej)
consent-submit = Zapisz się na SMS-y
consent-sending = Zapisujemy Cię…
consent-preview-note = Podgląd: ta kopia niczego nie wysyła.
consent-sandbox-note = Tryb testowy: ten zapis trafia do środowiska testowego Tracklight; żadne SMS-y nie są wysyłane.
consent-provider-form = Zapisz się na SMS-y
consent-provider-sandbox-note = Tryb testowy: to zastępczy formularz ze środowiska testowego, w miejsce własnego formularza zapisu sklepu; żadne SMS-y nie są wysyłane.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Tak, wysyłaj mi cykliczne, automatyczne wiadomości marketingowe SMS od { $brand } na podany powyżej numer.
disclosure-not-a-condition = Wyrażenie zgody nie jest warunkiem dokonania zakupu.
disclosure-frequency = Częstotliwość wiadomości jest zmienna.
disclosure-rates = Mogą obowiązywać opłaty za wiadomości i transmisję danych.
disclosure-help-stop = Odpowiedz HELP, aby uzyskać pomoc, lub STOP, aby zrezygnować.
disclosure-links = Zapoznaj się z naszymi dokumentami: { $terms } i { $privacy }.
disclosure-terms = Regulamin
disclosure-privacy = Polityka prywatności
done-title = Zapisano Cię na SMS-y
done-text = Będziemy wysyłać SMS-y na numer { $phone }. Aby zrezygnować, w każdej chwili odpowiedz STOP.
done-confirm-title = Potwierdź zapis na telefonie
done-confirm-text = Wysłaliśmy SMS z prośbą o potwierdzenie na numer { $phone }. Odpowiedz na tę wiadomość, aby zacząć otrzymywać SMS-y; aby zrezygnować, w każdej chwili odpowiedz STOP.

## Errors the consent block shows
error-rate-limited = Zbyt wiele prób w krótkim czasie. Odczekaj kilka minut.
error-not-found = Ten link do śledzenia przesyłki jest już nieważny.
error-unavailable = Usługa jest przeciążona; spróbuj ponownie za chwilę.
error-internal = Coś poszło nie tak po naszej stronie; spróbuj ponownie.
error-consent-unticked = Zaznacz pole, aby wyrazić zgodę na otrzymywanie wiadomości SMS.
error-country = Wybierz swój kraj z listy.
error-form-expired = Ten formularz wygasł. Odśwież stronę i spróbuj ponownie.
error-text-changed = Treść zapisu zmieniła się od załadowania tej strony. Odśwież stronę, przeczytaj ją ponownie i wyślij formularz jeszcze raz.
error-provider-form = Ten sklep przyjmuje zapisy na SMS-y przez własny formularz. Odśwież stronę, aby go zobaczyć.
error-not-available = Zapisy na SMS-y w tym sklepie są w tej chwili niedostępne.
error-not-for-order = Zapisy na SMS-y są niedostępne dla tego zamówienia.
error-no-order-phone = W Twoim zamówieniu nie ma numeru telefonu komórkowego. Wpisz numer.
error-two-phones = Przez ten link do śledzenia przesyłki zapisano już dwa numery. Aby zmienić swój numer, skontaktuj się ze sklepem.
error-country-not-kept = Ten sklep nie przyjmuje zapisów na SMS-y dla numerów z kraju: { $country }.
error-countries-none = Ten sklep w tej chwili nie przyjmuje zapisów na SMS-y.
error-countries-one = Ten sklep przyjmuje zapisy na SMS-y tylko dla numerów z kraju: { $country }.
error-countries-many = Ten sklep przyjmuje zapisy na SMS-y tylko dla numerów z tych krajów: { $countries }.
phone-empty = Wpisz swój numer telefonu komórkowego.
phone-too-short = Ten numer jest za krótki.
phone-too-long = Ten numer jest za długi.
phone-unreadable = Nie udało się odczytać tego numeru. Sprawdź go lub wybierz swój kraj.
phone-invalid-for = To nie jest prawidłowy numer dla kraju: { $country }. Sprawdź go lub wybierz swój kraj.
phone-landline = To wygląda na numer stacjonarny. Wpisz numer komórkowy, który może odbierać SMS-y.
phone-toll-free = To numer bezpłatny, który nie może odbierać SMS-ów. Wpisz numer komórkowy.
phone-premium-rate = To numer o podwyższonej opłacie, który nie może odbierać SMS-ów. Wpisz numer komórkowy.
phone-shared-cost = To numer z dzieloną opłatą, który nie może odbierać SMS-ów. Wpisz numer komórkowy.
phone-uan = To centralny numer firmy, który nie może odbierać SMS-ów. Wpisz numer komórkowy.
phone-voicemail = To numer poczty głosowej, który nie może odbierać SMS-ów. Wpisz numer komórkowy.
phone-pager = To numer pagera, który nie może odbierać SMS-ów. Wpisz numer komórkowy.
phone-not-mobile = Ten numer nie może odbierać SMS-ów. Wpisz numer komórkowy.

## The store's order look-up ("Track your order")
lookup-title = Śledź swoje zamówienie
lookup-page-title = Śledź swoje zamówienie · { $brand }
lookup-page-title-error = Sprawdź dane i spróbuj ponownie: Śledź swoje zamówienie · { $brand }
lookup-intro-email = Wpisz numer zamówienia i adres e-mail podane w potwierdzeniu zamówienia.
lookup-intro-postcode = Wpisz numer zamówienia i kod pocztowy adresu dostawy podane w potwierdzeniu zamówienia.
lookup-order = Numer zamówienia
lookup-email = Adres e-mail
lookup-postcode = Kod pocztowy
lookup-submit = Znajdź moje zamówienie
lookup-unavailable = Wyszukiwanie zamówień jest w tej chwili niedostępne
lookup-error-order = Wpisz numer zamówienia podany w potwierdzeniu zamówienia.
lookup-error-email = Wpisz adres e-mail użyty przy składaniu zamówienia, np. ana@example.com.
lookup-error-postcode = Wpisz kod pocztowy adresu dostawy, np. 10115 lub SW1A 1AA.
lookup-no-match-email = Nie znaleźliśmy zamówienia o tym numerze i z tym adresem e-mail. Sprawdź oba w potwierdzeniu zamówienia.
lookup-no-match-postcode = Nie znaleźliśmy zamówienia o tym numerze i z tym kodem pocztowym adresu dostawy. Sprawdź oba w potwierdzeniu zamówienia.
lookup-not-shipped = Znaleźliśmy Twoje zamówienie, ale nie zostało jeszcze wysłane. Gdy to nastąpi, będzie można je tutaj śledzić.

## Photos of a delivered order
photos-title = Udostępnij zdjęcie swojego zamówienia
photos-intro = Pokaż, w jakim stanie dotarło Twoje zamówienie. Sklep { $brand } sprawdza każde zdjęcie, zanim gdziekolwiek się pojawi.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Zdobądź { $count } punkt lojalnościowy, gdy sklep { $brand } zatwierdzi Twoje zdjęcie.
    [few] Zdobądź { $count } punkty lojalnościowe, gdy sklep { $brand } zatwierdzi Twoje zdjęcie.
    [many] Zdobądź { $count } punktów lojalnościowych, gdy sklep { $brand } zatwierdzi Twoje zdjęcie.
   *[other] Zdobądź { $count } punktu lojalnościowego, gdy sklep { $brand } zatwierdzi Twoje zdjęcie.
}
photos-files = Zdjęcia lub krótki film
photos-files-hint = { $count ->
    [one] Zdjęcia JPEG, PNG lub WebP do { $image_mb } MB każde albo film MP4 do { $video_mb } MB i { $seconds } s; naraz maksymalnie { $count } plik.
    [few] Zdjęcia JPEG, PNG lub WebP do { $image_mb } MB każde albo film MP4 do { $video_mb } MB i { $seconds } s; naraz maksymalnie { $count } pliki.
    [many] Zdjęcia JPEG, PNG lub WebP do { $image_mb } MB każde albo film MP4 do { $video_mb } MB i { $seconds } s; naraz maksymalnie { $count } plików.
   *[other] Zdjęcia JPEG, PNG lub WebP do { $image_mb } MB każde albo film MP4 do { $video_mb } MB i { $seconds } s; naraz maksymalnie { $count } pliku.
}
photos-caption = Podpis (opcjonalnie)
photos-submit = Udostępnij
photos-uploading = Przesyłanie… { $percent }%
photos-sent = Dziękujemy! Sklep { $brand } sprawdzi przesłane materiały, zanim gdziekolwiek się pojawią.
photos-again = Udostępnij kolejne zdjęcie
photos-back = Wróć do strony śledzenia przesyłki
photos-error-none = Wybierz co najmniej jedno zdjęcie lub film.
photos-error-type = Nie możemy przyjąć tego pliku jako zdjęcia ani filmu: wybierz zdjęcie JPEG, PNG lub WebP albo film MP4.
photos-error-heic = Nie możemy tu jeszcze odczytać zdjęć HEIC: wybierz w ustawieniach aparatu opcję „Najbardziej zgodne” (JPEG) albo udostępnij zrzut ekranu zdjęcia.
photos-error-damaged = Ten plik wygląda na uszkodzony lub niekompletny: wybierz go ponownie albo wybierz inny.
photos-error-too-big = Ten plik jest za duży: zdjęcia do { $image_mb } MB, filmy do { $video_mb } MB.
photos-error-too-large = To zdjęcie ma za dużo pikseli: maksymalnie { $megapixels } Mpx.
photos-error-too-long = { $seconds ->
    [one] Ten film jest za długi: maksymalnie { $seconds } sekunda.
    [few] Ten film jest za długi: maksymalnie { $seconds } sekundy.
    [many] Ten film jest za długi: maksymalnie { $seconds } sekund.
   *[other] Ten film jest za długi: maksymalnie { $seconds } sekundy.
}
photos-error-too-many = { $count ->
    [one] Wybierz naraz maksymalnie { $count } plik.
    [few] Wybierz naraz maksymalnie { $count } pliki.
    [many] Wybierz naraz maksymalnie { $count } plików.
   *[other] Wybierz naraz maksymalnie { $count } pliku.
}
photos-error-caption = { $count ->
    [one] Podpis jest za długi: maksymalnie { $count } znak.
    [few] Podpis jest za długi: maksymalnie { $count } znaki.
    [many] Podpis jest za długi: maksymalnie { $count } znaków.
   *[other] Podpis jest za długi: maksymalnie { $count } znaku.
}
photos-error-limit = Do tego zamówienia nie można dodać więcej zdjęć.
photos-error-busy = W tej chwili przesyłanych jest zbyt wiele plików: spróbuj ponownie później.
photos-error-failed = Przesyłanie nie zostało dokończone: sprawdź połączenie i spróbuj ponownie.
photos-error-unavailable = Dla tego zamówienia nie można udostępniać zdjęć.
