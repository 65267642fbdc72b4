# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Brazilian Portuguese ("você"). Every language is one file like this one,
# `locales/{tag}/shopper.ftl`, with every message below. `{ $name }` placeables are filled in by
# the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = Português (Brasil)
language-switcher-label = Idioma
language-switcher-submit = Alterar

## Page chrome
tracking-by = Rastreamento por Tracklight
sandbox-banner-title = Modo de teste
sandbox-banner-text = As inscrições por SMS vão para o ambiente de testes integrado do Tracklight. Nenhuma mensagem é enviada.
page-title = { $status } · { $brand }
not-found-title = Página não encontrada
not-found-text = Não encontramos esta página. Confira o link no e-mail de envio do seu pedido.
unavailable-title = O rastreamento está indisponível no momento
unavailable-text = Algo deu errado do nosso lado. Tente novamente em instantes.

## The shipment
greeting-named = Olá, { $name }, aqui está o seu pedido #{ $order }
greeting = Pedido #{ $order }
refresh = Atualizar
refresh-checking = Verificando atualizações…
refresh-done = Tudo atualizado.
refresh-failed = Não foi possível verificar se há atualizações. Tente novamente em instantes.
shipping-to = Enviando para
carrier = Transportadora
tracking-number = Código de rastreamento
carrier-site-note = (no site da transportadora, abre em uma nova aba)
delivered-at = Entregue em { $when }
estimated-delivery = Previsão de entrega: { $date }
progress-label = Andamento da entrega
progress-label-parcel = Andamento da entrega do pacote { $n }
shipment-updates = Atualizações do envio
no-updates = Ainda não há atualizações da transportadora. Elas costumam aparecer em até um dia após o envio.
parcels-all-delivered = { $count ->
    [one] Seu pacote foi entregue
   *[other] Todos os { $count } pacotes foram entregues
}
parcels-heading = Seu pedido será enviado em { $count } pacotes
parcels-tally = Entregues: { $delivered } de { $count }
parcels-list = Pacotes
parcel-of = Pacote { $n } de { $count }
parcel-updates = { $count ->
    [one] Atualizações (1)
   *[other] Atualizações ({ $count })
}

## Statuses
status-pending = Pedido recebido
status-info-received = Etiqueta criada
status-in-transit = Em trânsito
status-out-for-delivery = Saiu para entrega
status-attempt-fail = Tentativa de entrega
status-available-for-pickup = Disponível para retirada
status-delivered = Entregue
status-exception = Problema na entrega
status-expired = Rastreamento expirado
step-ordered = Pedido feito
step-shipped = Enviado
step-in-transit = Em trânsito
step-out-for-delivery = Saiu para entrega
step-delivered = Entregue
hint-attempt-fail = A transportadora tentou entregar seu pacote. Confira a atualização mais recente abaixo para saber o que acontece agora.
hint-available-for-pickup = Seu pacote está esperando por você. A atualização mais recente abaixo informa onde retirá-lo.
hint-exception = A transportadora informou um problema com esta entrega. Se ele não for resolvido em breve, entre em contato com { $brand }.
hint-expired = A transportadora deixou de atualizar este envio. Se o seu pacote não chegou, entre em contato com { $brand }.

## The consent block
consent-heading = Receba mensagens de { $brand } por SMS
consent-country = País
consent-phone = Número de celular
consent-phone-example = Por exemplo: { $example }
consent-points = { $count ->
    [one] Cadastre-se e ganhe { $count } ponto de fidelidade.
   *[other] Cadastre-se e ganhe { $count } pontos de fidelidade.
}
consent-which-number = Qual número deve receber as mensagens?
consent-order-number = O número informado no meu pedido, { $masked }
consent-other-number = Outro número (digite abaixo)
consent-submit = Quero receber SMS
consent-sending = Fazendo sua inscrição…
consent-preview-note = Pré-visualização: esta cópia não envia nada.
consent-sandbox-note = Ambiente de testes: esta inscrição vai para o ambiente de testes do Tracklight; nenhuma mensagem é enviada.
consent-provider-form = Quero receber SMS
consent-provider-sandbox-note = Ambiente de testes: este é o substituto, no ambiente de testes, do formulário de inscrição da própria loja; nenhuma mensagem é enviada.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = Sim, envie-me mensagens de texto de marketing automatizadas e recorrentes de { $brand } para o número acima.
disclosure-not-a-condition = O consentimento não é condição para a compra.
disclosure-frequency = A frequência das mensagens varia.
disclosure-rates = Podem ser aplicadas tarifas de mensagens e dados.
disclosure-help-stop = Responda HELP para obter ajuda e STOP para cancelar.
disclosure-links = Consulte nossos { $terms } e nossa { $privacy }.
disclosure-terms = Termos
disclosure-privacy = Política de Privacidade
done-title = Inscrição para receber SMS concluída
done-text = Enviaremos mensagens para { $phone }. Responda STOP a qualquer momento para cancelar.
done-confirm-title = Confirme pelo seu celular
done-confirm-text = Enviamos uma mensagem para { $phone } para confirmar. Responda a essa mensagem para começar a receber SMS; responda STOP a qualquer momento para cancelar.

## Errors the consent block shows
error-rate-limited = Muitas tentativas em pouco tempo. Aguarde alguns minutos.
error-not-found = Este link de rastreamento não é mais válido.
error-unavailable = O serviço está sobrecarregado; tente novamente em instantes.
error-internal = Algo deu errado do nosso lado; tente novamente.
error-consent-unticked = Marque a caixa para concordar em receber mensagens de texto.
error-country = Escolha seu país na lista.
error-form-expired = Este formulário expirou. Recarregue a página e tente novamente.
error-text-changed = O texto de inscrição mudou desde que esta página foi carregada. Recarregue a página, leia o texto novamente e envie de novo.
error-provider-form = Esta loja recebe inscrições por SMS pelo próprio formulário. Recarregue a página para vê-lo.
error-not-available = As inscrições por SMS não estão disponíveis para esta loja no momento.
error-not-for-order = As inscrições por SMS não estão disponíveis para este pedido.
error-no-order-phone = Seu pedido não tem número de celular. Informe um.
error-two-phones = Este link de rastreamento já inscreveu dois números. Para alterar o seu, entre em contato com a loja.
error-country-not-kept = Esta loja não aceita inscrições por SMS para números deste país: { $country }.
error-countries-none = Esta loja não está aceitando inscrições por SMS no momento.
error-countries-one = Esta loja só aceita inscrições por SMS para números deste país: { $country }.
error-countries-many = Esta loja só aceita inscrições por SMS para números destes países: { $countries }.
phone-empty = Informe seu número de celular.
phone-too-short = Este número é curto demais.
phone-too-long = Este número é longo demais.
phone-unreadable = Não conseguimos ler este número. Verifique-o ou escolha seu país.
phone-invalid-for = Este número não é válido para o país escolhido ({ $country }). Verifique-o ou escolha seu país.
phone-landline = Este parece ser um telefone fixo. Informe um número de celular que possa receber mensagens de texto.
phone-toll-free = Este é um número de ligação gratuita, que não pode receber mensagens de texto. Informe um número de celular.
phone-premium-rate = Este é um número de tarifa especial, que não pode receber mensagens de texto. Informe um número de celular.
phone-shared-cost = Este é um número de custo compartilhado, que não pode receber mensagens de texto. Informe um número de celular.
phone-uan = Este é o número central de uma empresa, que não pode receber mensagens de texto. Informe um número de celular.
phone-voicemail = Este é um número de caixa postal, que não pode receber mensagens de texto. Informe um número de celular.
phone-pager = Este é um número de bipe, que não pode receber mensagens de texto. Informe um número de celular.
phone-not-mobile = Este número não pode receber mensagens de texto. Informe um número de celular.

## The store's order look-up ("Track your order")
lookup-title = Acompanhe seu pedido
lookup-page-title = Acompanhe seu pedido · { $brand }
lookup-page-title-error = Verifique e tente novamente: Acompanhe seu pedido · { $brand }
lookup-intro-email = Informe o número do pedido e o e-mail que aparecem na confirmação do seu pedido.
lookup-intro-postcode = Informe o número do pedido e o CEP de entrega que aparecem na confirmação do seu pedido.
lookup-order = Número do pedido
lookup-email = E-mail
lookup-postcode = CEP
lookup-submit = Encontrar meu pedido
lookup-unavailable = A consulta de pedidos está indisponível no momento
lookup-error-order = Informe o número do pedido que aparece na confirmação do pedido.
lookup-error-email = Informe o e-mail usado na compra, como ana@example.com.
lookup-error-postcode = Informe o CEP do endereço de entrega, como 10115 ou SW1A 1AA.
lookup-no-match-email = Não encontramos nenhum pedido com esse número e esse e-mail. Confira os dois na confirmação do seu pedido.
lookup-no-match-postcode = Não encontramos nenhum pedido com esse número e esse CEP. Confira os dois na confirmação do seu pedido.
lookup-not-shipped = Encontramos seu pedido, mas ele ainda não foi enviado. O rastreamento aparecerá aqui assim que ele for enviado.

## Photos of a delivered order
photos-title = Compartilhe uma foto do seu pedido
photos-intro = Mostre como ele chegou. { $brand } analisa cada foto antes que ela apareça em qualquer lugar.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [one] Ganhe { $count } ponto de fidelidade quando { $brand } aprovar sua foto.
   *[other] Ganhe { $count } pontos de fidelidade quando { $brand } aprovar sua foto.
}
photos-files = Fotos ou um vídeo curto
photos-files-hint = Fotos JPEG, PNG ou WebP de até { $image_mb } MB cada, ou um vídeo MP4 de até { $video_mb } MB e { $seconds } segundos; no máximo { $count } arquivos por vez.
photos-caption = Legenda (opcional)
photos-submit = Compartilhar
photos-uploading = Enviando… { $percent }%
photos-sent = Obrigado! { $brand } vai analisar o que você compartilhou antes que apareça em qualquer lugar.
photos-again = Compartilhar outra foto
photos-back = Voltar para a página de rastreamento
photos-error-none = Escolha pelo menos uma foto ou um vídeo.
photos-error-type = Esse arquivo não é uma foto nem um vídeo que possamos aceitar: escolha uma foto JPEG, PNG ou WebP ou um vídeo MP4.
photos-error-heic = Ainda não é possível ler fotos HEIC aqui: escolha “Mais Compatível” (JPEG) nos ajustes da câmera ou compartilhe uma captura de tela da foto.
photos-error-damaged = Esse arquivo parece estar danificado ou incompleto: escolha-o novamente ou selecione outro.
photos-error-too-big = Esse arquivo é grande demais: fotos de até { $image_mb } MB, vídeos de até { $video_mb } MB.
photos-error-too-large = Essa foto tem pixels demais: no máximo { $megapixels } megapixels.
photos-error-too-long = Esse vídeo é longo demais: no máximo { $seconds } segundos.
photos-error-too-many = Escolha no máximo { $count } arquivos por vez.
photos-error-caption = A legenda é longa demais: no máximo { $count } caracteres.
photos-error-limit = Este pedido não aceita mais fotos.
photos-error-busy = Há muitos envios no momento: tente novamente mais tarde.
photos-error-failed = O envio não foi concluído: verifique sua conexão e tente novamente.
photos-error-unavailable = Não é possível compartilhar fotos deste pedido.
