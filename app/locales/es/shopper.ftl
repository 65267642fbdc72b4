# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Spanish (neutral international, "usted"). Every language is one file like this one, `locales/{tag}/shopper.ftl`,
# with every message below. `{ $name }` placeables are filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Español
language-switcher-label = Idioma
language-switcher-submit = Cambiar

## Page chrome
tracking-by = Seguimiento por Tracklight
sandbox-banner-title = Modo de pruebas
sandbox-banner-text = Las suscripciones por SMS se envían al entorno de pruebas integrado de Tracklight. No se envía ningún mensaje de texto.
page-title = { $status } · { $brand }
not-found-title = Página no encontrada
not-found-text = No pudimos encontrar esta página. Revise el enlace de su correo electrónico de envío.
unavailable-title = El seguimiento no está disponible en este momento
unavailable-text = Algo salió mal por nuestra parte. Vuelva a intentarlo en un momento.

## The shipment
greeting-named = Hola, { $name }: este es su pedido #{ $order }
greeting = Pedido #{ $order }
refresh = Actualizar
refresh-checking = Buscando actualizaciones…
refresh-done = Todo está al día.
refresh-failed = No se pudieron buscar actualizaciones. Vuelva a intentarlo en un momento.
shipping-to = Envío a
carrier = Transportista
tracking-number = Número de seguimiento
carrier-site-note = (en el sitio web del transportista; se abre en una pestaña nueva)
delivered-at = Entregado el { $when }
estimated-delivery = Entrega estimada: { $date }
progress-label = Progreso de la entrega
progress-label-parcel = Progreso de la entrega del paquete { $n }
shipment-updates = Actualizaciones del envío
no-updates = Todavía no hay actualizaciones del transportista. Suelen aparecer en el plazo de un día tras el envío.
parcels-all-delivered = { $count ->
    [one] Su paquete ha sido entregado
   *[other] Los { $count } paquetes han sido entregados
}
parcels-heading = Su pedido se envía en { $count } paquetes
parcels-tally = { $delivered } de { $count } entregados
parcels-list = Paquetes
parcel-of = Paquete { $n } de { $count }
parcel-updates = { $count ->
    [one] Actualización (1)
   *[other] Actualizaciones ({ $count })
}

## Statuses
status-pending = Pedido recibido
status-info-received = Etiqueta creada
status-in-transit = En tránsito
status-out-for-delivery = En reparto
status-attempt-fail = Intento de entrega
status-available-for-pickup = Listo para recoger
status-delivered = Entregado
status-exception = Problema con la entrega
status-expired = Seguimiento caducado
step-ordered = Pedido
step-shipped = Enviado
step-in-transit = En tránsito
step-out-for-delivery = En reparto
step-delivered = Entregado
hint-attempt-fail = El transportista intentó entregar su paquete. Consulte la última actualización a continuación para saber qué sucederá ahora.
hint-available-for-pickup = Su paquete le está esperando. La última actualización a continuación indica dónde recogerlo.
hint-exception = El transportista informó de un problema con esta entrega. Si no se resuelve pronto, póngase en contacto con { $brand }.
hint-expired = El transportista ha dejado de actualizar este envío. Si su paquete no ha llegado, póngase en contacto con { $brand }.

## The consent block
consent-heading = Reciba mensajes de texto de { $brand }
consent-country = País
consent-phone = Número de móvil
consent-phone-example = Por ejemplo, { $example }
consent-points = { $count ->
    [one] Suscríbase y gane { $count } punto de fidelidad.
   *[other] Suscríbase y gane { $count } puntos de fidelidad.
}
consent-which-number = ¿Qué número debe recibir los mensajes de texto?
consent-order-number = El número de mi pedido, { $masked }
consent-other-number = Otro número (escríbalo abajo)
consent-submit = Suscribirme a los mensajes de texto
consent-sending = Procesando su suscripción…
consent-preview-note = Vista previa: esta copia no envía nada.
consent-sandbox-note = Entorno de pruebas: esta suscripción se envía al entorno de pruebas de Tracklight; no se envía ningún mensaje de texto.
consent-provider-form = Suscribirme a los mensajes de texto
consent-provider-sandbox-note = Entorno de pruebas: esto sustituye, en el entorno de pruebas, al formulario de suscripción propio de la tienda; no se envía ningún mensaje de texto.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Sí, envíenme mensajes de texto de marketing recurrentes y automatizados de { $brand } al número indicado arriba.
disclosure-not-a-condition = El consentimiento no es una condición de compra.
disclosure-frequency = La frecuencia de los mensajes varía.
disclosure-rates = Pueden aplicarse tarifas por mensajes y datos.
disclosure-help-stop = Responda HELP para obtener ayuda y STOP para cancelar.
disclosure-links = Consulte nuestros { $terms } y nuestra { $privacy }.
disclosure-terms = Términos y condiciones
disclosure-privacy = Política de privacidad
done-title = Su suscripción a los mensajes de texto está activa
done-text = Enviaremos mensajes de texto al { $phone }. Responda STOP en cualquier momento para cancelar.
done-confirm-title = Confirme desde su teléfono
done-confirm-text = Hemos enviado un mensaje de texto al { $phone } para confirmar. Responda a ese mensaje para empezar a recibir mensajes de texto; responda STOP en cualquier momento para cancelar.

## Errors the consent block shows
error-rate-limited = Demasiados intentos en poco tiempo. Espere unos minutos.
error-not-found = Este enlace de seguimiento ya no es válido.
error-unavailable = El servicio está saturado; vuelva a intentarlo en un momento.
error-internal = Algo salió mal por nuestra parte; vuelva a intentarlo.
error-consent-unticked = Marque la casilla para aceptar recibir mensajes de texto.
error-country = Elija su país de la lista.
error-form-expired = Este formulario ha caducado. Vuelva a cargar la página e inténtelo de nuevo.
error-text-changed = El texto de suscripción ha cambiado desde que se cargó esta página. Vuelva a cargar la página, léalo de nuevo y vuelva a enviar el formulario.
error-provider-form = Esta tienda gestiona las suscripciones por SMS mediante su propio formulario. Vuelva a cargar la página para verlo.
error-not-available = Las suscripciones por SMS no están disponibles para esta tienda en este momento.
error-not-for-order = Las suscripciones por SMS no están disponibles para este pedido.
error-no-order-phone = Su pedido no tiene ningún número de móvil. Escriba uno.
error-two-phones = Ya se han suscrito dos números con este enlace de seguimiento. Para cambiar el suyo, póngase en contacto con la tienda.
error-country-not-kept = Esta tienda no puede aceptar suscripciones por SMS para números de este país: { $country }.
error-countries-none = Esta tienda no acepta suscripciones por SMS en este momento.
error-countries-one = Esta tienda solo acepta suscripciones por SMS para números de este país: { $country }.
error-countries-many = Esta tienda solo acepta suscripciones por SMS para números de estos países: { $countries }.
phone-empty = Escriba su número de móvil.
phone-too-short = Este número es demasiado corto.
phone-too-long = Este número es demasiado largo.
phone-unreadable = No pudimos leer este número. Revíselo o elija su país.
phone-invalid-for = Este número no es válido para este país: { $country }. Revíselo o elija su país.
phone-landline = Parece un número fijo. Escriba un número de móvil que pueda recibir mensajes de texto.
phone-toll-free = Este es un número gratuito, que no puede recibir mensajes de texto. Escriba un número de móvil.
phone-premium-rate = Este es un número de tarificación adicional, que no puede recibir mensajes de texto. Escriba un número de móvil.
phone-shared-cost = Este es un número de tarifa compartida, que no puede recibir mensajes de texto. Escriba un número de móvil.
phone-uan = Este es el número central de una empresa, que no puede recibir mensajes de texto. Escriba un número de móvil.
phone-voicemail = Este es un número de buzón de voz, que no puede recibir mensajes de texto. Escriba un número de móvil.
phone-pager = Este es un número de buscapersonas, que no puede recibir mensajes de texto. Escriba un número de móvil.
phone-not-mobile = Este número no puede recibir mensajes de texto. Escriba un número de móvil.

## The store's order look-up ("Track your order")
lookup-title = Seguimiento del pedido
lookup-page-title = Seguimiento del pedido · { $brand }
lookup-page-title-error = Revise e inténtelo de nuevo: Seguimiento del pedido · { $brand }
lookup-intro-email = Escriba su número de pedido y la dirección de correo electrónico que figura en su confirmación de pedido.
lookup-intro-postcode = Escriba su número de pedido y el código postal de envío que figura en su confirmación de pedido.
lookup-order = Número de pedido
lookup-email = Correo electrónico
lookup-postcode = Código postal
lookup-submit = Buscar mi pedido
lookup-unavailable = La búsqueda de pedidos no está disponible en este momento
lookup-error-order = Escriba el número de pedido que figura en su confirmación de pedido.
lookup-error-email = Escriba la dirección de correo electrónico con la que hizo el pedido, por ejemplo, ana@example.com.
lookup-error-postcode = Escriba el código postal de la dirección de envío, por ejemplo, 10115 o SW1A 1AA.
lookup-no-match-email = No encontramos ningún pedido con ese número y esa dirección de correo electrónico. Compare ambos datos con su confirmación de pedido.
lookup-no-match-postcode = No encontramos ningún pedido con ese número y ese código postal de envío. Compare ambos datos con su confirmación de pedido.
lookup-not-shipped = Hemos encontrado su pedido, pero todavía no se ha enviado. Su seguimiento aparecerá aquí en cuanto se envíe.

## Photos of a delivered order
photos-title = Comparta una foto de su pedido
photos-intro = Muestre cómo llegó. { $brand } revisa cada foto antes de que aparezca en cualquier lugar.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Gane { $count } punto de fidelidad cuando { $brand } apruebe su foto.
   *[other] Gane { $count } puntos de fidelidad cuando { $brand } apruebe su foto.
}
photos-files = Fotos o un video corto
photos-files-hint = Fotos JPEG, PNG o WebP de hasta { $image_mb } MB cada una, o un video MP4 de hasta { $video_mb } MB y { $seconds } segundos; como máximo { $count } archivos a la vez.
photos-caption = Pie de foto (opcional)
photos-submit = Compartir
photos-uploading = Subiendo… { $percent } %
photos-sent = ¡Gracias! { $brand } revisará lo que compartió antes de que aparezca en cualquier lugar.
photos-again = Compartir otra foto
photos-back = Volver a su página de seguimiento
photos-error-none = Elija al menos una foto o un video.
photos-error-type = Ese archivo no es una foto ni un video que podamos aceptar: elija una foto JPEG, PNG o WebP, o un video MP4.
photos-error-heic = Aquí todavía no se pueden leer fotos HEIC: elija «Más compatible» (JPEG) en los ajustes de la cámara o comparta una captura de pantalla de la foto.
photos-error-damaged = Ese archivo parece dañado o incompleto: vuelva a elegirlo o elija otro.
photos-error-too-big = Ese archivo es demasiado grande: fotos de hasta { $image_mb } MB y videos de hasta { $video_mb } MB.
photos-error-too-large = Esa foto tiene demasiados píxeles: como máximo { $megapixels } megapíxeles.
photos-error-too-long = Ese video es demasiado largo: como máximo { $seconds } segundos.
photos-error-too-many = Elija como máximo { $count } archivos a la vez.
photos-error-caption = El pie de foto es demasiado largo: como máximo { $count } caracteres.
photos-error-limit = Este pedido no admite más fotos.
photos-error-busy = Hay demasiadas subidas en este momento: inténtelo de nuevo más tarde.
photos-error-failed = La subida no se completó: compruebe su conexión e inténtelo de nuevo.
photos-error-unavailable = No se pueden compartir fotos de este pedido.
