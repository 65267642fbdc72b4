# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in French ("vous"). Every language is one file like this one, `locales/{tag}/shopper.ftl`,
# with every message below. `{ $name }` placeables are filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Français
language-switcher-label = Langue
language-switcher-submit = Changer

## Page chrome
tracking-by = Suivi assuré par Tracklight
sandbox-banner-title = Mode bac à sable
sandbox-banner-text = Les inscriptions par SMS sont envoyées au bac à sable intégré de Tracklight. Aucun SMS n’est envoyé.
page-title = { $status } · { $brand }
not-found-title = Page introuvable
not-found-text = Nous n’avons pas trouvé cette page. Veuillez vérifier le lien dans votre e-mail d’expédition.
unavailable-title = Le suivi est indisponible pour le moment
unavailable-text = Un problème est survenu de notre côté. Veuillez réessayer dans un instant.

## The shipment
greeting-named = Bonjour { $name }, voici votre commande #{ $order }
greeting = Commande #{ $order }
refresh = Actualiser
refresh-checking = Recherche de mises à jour…
refresh-done = À jour.
refresh-failed = Impossible de rechercher les mises à jour. Veuillez réessayer dans un instant.
shipping-to = Livraison à
carrier = Transporteur
tracking-number = Numéro de suivi
carrier-site-note = (sur le site du transporteur, s’ouvre dans un nouvel onglet)
delivered-at = Livré le { $when }
estimated-delivery = Livraison estimée : { $date }
progress-label = Progression de la livraison
progress-label-parcel = Progression de la livraison du colis { $n }
shipment-updates = Mises à jour de l’expédition
no-updates = Aucune mise à jour du transporteur pour l’instant. Elles apparaissent généralement dans la journée qui suit l’expédition.
parcels-all-delivered = { $count ->
    [one] Votre colis a été livré
    [many] Les { $count } colis ont été livrés
   *[other] Les { $count } colis ont été livrés
}
parcels-heading = Votre commande est expédiée en { $count } colis
parcels-tally = { $delivered } sur { $count } livrés
parcels-list = Colis
parcel-of = Colis { $n } sur { $count }
parcel-updates = { $count ->
    [one] Mise à jour ({ $count })
    [many] Mises à jour ({ $count })
   *[other] Mises à jour ({ $count })
}

## Statuses
status-pending = Commande reçue
status-info-received = Étiquette créée
status-in-transit = En transit
status-out-for-delivery = En cours de livraison
status-attempt-fail = Tentative de livraison
status-available-for-pickup = Prêt à être retiré
status-delivered = Livré
status-exception = Problème de livraison
status-expired = Suivi expiré
step-ordered = Commandé
step-shipped = Expédié
step-in-transit = En transit
step-out-for-delivery = En cours de livraison
step-delivered = Livré
hint-attempt-fail = Le transporteur a tenté de livrer votre colis. Consultez la dernière mise à jour ci-dessous pour connaître la suite.
hint-available-for-pickup = Votre colis vous attend. La dernière mise à jour ci-dessous indique où le retirer.
hint-exception = Le transporteur a signalé un problème avec cette livraison. S’il n’est pas résolu rapidement, contactez { $brand }.
hint-expired = Le transporteur ne met plus à jour cet envoi. Si votre colis n’est pas arrivé, contactez { $brand }.

## The consent block
consent-heading = Recevez les SMS de { $brand }
consent-country = Pays
consent-phone = Numéro de mobile
consent-phone-example = Par exemple { $example }
consent-points = { $count ->
    [one] Inscrivez-vous et gagnez { $count } point de fidélité.
   *[other] Inscrivez-vous et gagnez { $count } points de fidélité.
}
consent-which-number = Quel numéro doit recevoir les SMS ?
consent-order-number = Le numéro de ma commande, { $masked }
consent-other-number = Un autre numéro (saisissez-le ci-dessous)
consent-submit = M’inscrire aux SMS
consent-sending = Inscription en cours…
consent-preview-note = Aperçu : cette copie n’envoie rien.
consent-sandbox-note = Bac à sable : cette inscription est envoyée au bac à sable de Tracklight ; aucun SMS n’est envoyé.
consent-provider-form = M’inscrire aux SMS
consent-provider-sandbox-note = Bac à sable : ceci remplace, dans le bac à sable, le formulaire d’inscription propre à la boutique ; aucun SMS n’est envoyé.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Oui, envoyez-moi des SMS marketing récurrents et automatisés de la part de { $brand } au numéro ci-dessus.
disclosure-not-a-condition = Le consentement n’est pas une condition d’achat.
disclosure-frequency = La fréquence des messages varie.
disclosure-rates = Des frais de messagerie et de données peuvent s’appliquer.
disclosure-help-stop = Répondez HELP pour obtenir de l’aide et STOP pour vous désabonner.
disclosure-links = Consultez nos { $terms } et notre { $privacy }.
disclosure-terms = Conditions d’utilisation
disclosure-privacy = Politique de confidentialité
done-title = Votre inscription aux SMS est confirmée
done-text = Nous enverrons des SMS au { $phone }. Répondez STOP à tout moment pour vous désabonner.
done-confirm-title = Confirmez sur votre téléphone
done-confirm-text = Nous avons envoyé un SMS de confirmation au { $phone }. Répondez à ce SMS pour commencer à recevoir nos SMS ; répondez STOP à tout moment pour vous désabonner.

## Errors the consent block shows
error-rate-limited = Trop de tentatives en peu de temps. Veuillez patienter quelques minutes.
error-not-found = Ce lien de suivi n’est plus valide.
error-unavailable = Le service est surchargé ; veuillez réessayer dans un instant.
error-internal = Un problème est survenu de notre côté ; veuillez réessayer.
error-consent-unticked = Cochez la case pour accepter de recevoir des SMS.
error-country = Choisissez votre pays dans la liste.
error-form-expired = Ce formulaire a expiré. Rechargez la page et réessayez.
error-text-changed = Le texte d’inscription a changé depuis le chargement de cette page. Rechargez la page, relisez-le et renvoyez le formulaire.
error-provider-form = Cette boutique reçoit les inscriptions par SMS via son propre formulaire. Rechargez la page pour l’afficher.
error-not-available = Les inscriptions par SMS ne sont pas disponibles pour cette boutique pour le moment.
error-not-for-order = Les inscriptions par SMS ne sont pas disponibles pour cette commande.
error-no-order-phone = Votre commande ne comporte aucun numéro de mobile. Saisissez-en un.
error-two-phones = Deux numéros ont déjà été inscrits via ce lien de suivi. Pour modifier le vôtre, contactez la boutique.
error-country-not-kept = Cette boutique ne peut pas accepter d’inscriptions par SMS pour les numéros de ce pays : { $country }.
error-countries-none = Cette boutique n’accepte pas d’inscriptions par SMS pour le moment.
error-countries-one = Cette boutique accepte les inscriptions par SMS uniquement pour les numéros de ce pays : { $country }.
error-countries-many = Cette boutique accepte les inscriptions par SMS uniquement pour les numéros de ces pays : { $countries }.
phone-empty = Saisissez votre numéro de mobile.
phone-too-short = Ce numéro est trop court.
phone-too-long = Ce numéro est trop long.
phone-unreadable = Nous n’avons pas pu lire ce numéro. Vérifiez-le ou choisissez votre pays.
phone-invalid-for = Ce numéro n’est pas valide pour ce pays : { $country }. Vérifiez-le ou choisissez votre pays.
phone-landline = Il semble s’agir d’un numéro fixe. Saisissez un numéro de mobile pouvant recevoir des SMS.
phone-toll-free = Il s’agit d’un numéro gratuit, qui ne peut pas recevoir de SMS. Saisissez un numéro de mobile.
phone-premium-rate = Il s’agit d’un numéro surtaxé, qui ne peut pas recevoir de SMS. Saisissez un numéro de mobile.
phone-shared-cost = Il s’agit d’un numéro à coût partagé, qui ne peut pas recevoir de SMS. Saisissez un numéro de mobile.
phone-uan = Il s’agit du numéro central d’une entreprise, qui ne peut pas recevoir de SMS. Saisissez un numéro de mobile.
phone-voicemail = Il s’agit d’un numéro de messagerie vocale, qui ne peut pas recevoir de SMS. Saisissez un numéro de mobile.
phone-pager = Il s’agit d’un numéro de bipeur, qui ne peut pas recevoir de SMS. Saisissez un numéro de mobile.
phone-not-mobile = Ce numéro ne peut pas recevoir de SMS. Saisissez un numéro de mobile.

## The store's order look-up ("Track your order")
lookup-title = Suivez votre commande
lookup-page-title = Suivez votre commande · { $brand }
lookup-page-title-error = Vérifiez et réessayez : Suivez votre commande · { $brand }
lookup-intro-email = Saisissez votre numéro de commande et l’adresse e-mail figurant dans votre confirmation de commande.
lookup-intro-postcode = Saisissez votre numéro de commande et le code postal de livraison figurant dans votre confirmation de commande.
lookup-order = Numéro de commande
lookup-email = Adresse e-mail
lookup-postcode = Code postal
lookup-submit = Trouver ma commande
lookup-unavailable = La recherche de commande est indisponible pour le moment
lookup-error-order = Saisissez le numéro de commande figurant dans votre confirmation de commande.
lookup-error-email = Saisissez l’adresse e-mail utilisée pour votre commande, par exemple ana@example.com.
lookup-error-postcode = Saisissez le code postal de l’adresse de livraison, par exemple 10115 ou SW1A 1AA.
lookup-no-match-email = Nous n’avons trouvé aucune commande correspondant à ce numéro et à cette adresse e-mail. Vérifiez-les tous les deux dans votre confirmation de commande.
lookup-no-match-postcode = Nous n’avons trouvé aucune commande correspondant à ce numéro et à ce code postal de livraison. Vérifiez-les tous les deux dans votre confirmation de commande.
lookup-not-shipped = Nous avons trouvé votre commande, mais elle n’a pas encore été expédiée. Son suivi apparaîtra ici dès son expédition.

## Photos of a delivered order
photos-title = Partagez une photo de votre commande
photos-intro = Montrez-nous dans quel état elle est arrivée. { $brand } examine chaque photo avant toute publication.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Gagnez { $count } point de fidélité lorsque { $brand } valide votre photo.
   *[other] Gagnez { $count } points de fidélité lorsque { $brand } valide votre photo.
}
photos-files = Photos ou courte vidéo
photos-files-hint = Photos JPEG, PNG ou WebP de { $image_mb } Mo maximum chacune, ou vidéo MP4 de { $video_mb } Mo et { $seconds } secondes maximum ; { $count } fichiers au plus à la fois.
photos-caption = Légende (facultative)
photos-submit = Partager
photos-uploading = Envoi en cours… { $percent } %
photos-sent = Merci ! { $brand } examinera ce que vous avez partagé avant toute publication.
photos-again = Partager une autre photo
photos-back = Retour à votre page de suivi
photos-error-none = Choisissez au moins une photo ou une vidéo.
photos-error-type = Nous ne pouvons pas accepter ce fichier comme photo ou vidéo : choisissez une photo JPEG, PNG ou WebP, ou une vidéo MP4.
photos-error-heic = Les photos HEIC ne peuvent pas encore être lues ici : choisissez « Le plus compatible » (JPEG) dans les réglages de votre appareil photo, ou partagez une capture d’écran de la photo.
photos-error-damaged = Ce fichier semble endommagé ou incomplet : choisissez-le à nouveau ou sélectionnez-en un autre.
photos-error-too-big = Ce fichier est trop volumineux : photos jusqu’à { $image_mb } Mo, vidéos jusqu’à { $video_mb } Mo.
photos-error-too-large = Cette photo compte trop de pixels : { $megapixels } mégapixels maximum.
photos-error-too-long = Cette vidéo est trop longue : { $seconds } secondes maximum.
photos-error-too-many = Choisissez au plus { $count } fichiers à la fois.
photos-error-caption = La légende est trop longue : { $count } caractères maximum.
photos-error-limit = Cette commande ne peut plus recevoir de photos.
photos-error-busy = Trop d’envois en ce moment : veuillez réessayer plus tard.
photos-error-failed = L’envoi n’a pas abouti : vérifiez votre connexion et réessayez.
photos-error-unavailable = Il n’est pas possible de partager des photos pour cette commande.
