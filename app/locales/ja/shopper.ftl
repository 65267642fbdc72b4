# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Japanese. Every language is one file like this one, `locales/{tag}/shopper.ftl`,
# with every message below. `{ $name }` placeables are filled in by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = 日本語
language-switcher-label = 言語
language-switcher-submit = 変更

## Page chrome
tracking-by = Tracklightによる配送追跡
sandbox-banner-title = サンドボックスモード
sandbox-banner-text = SMS配信の登録はTracklight内蔵のサンドボックスに送られます。SMSは送信されません。
page-title = { $status } · { $brand }
not-found-title = ページが見つかりません
not-found-text = このページが見つかりませんでした。発送通知メールに記載のリンクをご確認ください。
unavailable-title = 現在、配送状況を確認できません
unavailable-text = こちら側で問題が発生しました。しばらくしてからもう一度お試しください。

## The shipment
greeting-named = { $name }様、ご注文 #{ $order } の配送状況です
greeting = ご注文 #{ $order }
refresh = 更新
refresh-checking = 更新を確認しています…
refresh-done = 最新の状態です。
refresh-failed = 更新を確認できませんでした。しばらくしてからもう一度お試しください。
shipping-to = お届け先
carrier = 配送業者
tracking-number = 追跡番号
carrier-site-note = （配送業者のサイト、新しいタブで開きます）
delivered-at = { $when }に配達されました
estimated-delivery = お届け予定日：{ $date }
progress-label = 配達の進捗
progress-label-parcel = 荷物{ $n }の配達の進捗
shipment-updates = 配送状況の更新
no-updates = 配送業者からの更新はまだありません。通常、発送から1日以内に表示されます。
parcels-all-delivered = { $count ->
   *[other] すべての荷物（{ $count }個）が配達されました
}
parcels-heading = ご注文は{ $count }個の荷物に分けて発送されます
parcels-tally = { $count }個中{ $delivered }個が配達済み
parcels-list = 荷物一覧
parcel-of = 荷物 { $n }（全{ $count }個）
parcel-updates = { $count ->
   *[other] 更新情報（{ $count }件）
}

## Statuses
status-pending = ご注文受付済み
status-info-received = 配送ラベル作成済み
status-in-transit = 輸送中
status-out-for-delivery = 配達中
status-attempt-fail = 配達を試みました
status-available-for-pickup = 受け取り可能
status-delivered = 配達完了
status-exception = 配送上の問題
status-expired = 追跡期限切れ
step-ordered = 注文済み
step-shipped = 発送済み
step-in-transit = 輸送中
step-out-for-delivery = 配達中
step-delivered = 配達完了
hint-attempt-fail = 配送業者がお荷物の配達を試みました。今後の流れについては、下記の最新の更新情報をご確認ください。
hint-available-for-pickup = お荷物の受け取り準備ができています。受け取り場所は、下記の最新の更新情報でご確認いただけます。
hint-exception = 配送業者からこの配達に関する問題が報告されています。すぐに解決しない場合は、{ $brand }にお問い合わせください。
hint-expired = 配送業者によるこの荷物の追跡情報の更新は終了しました。お荷物が届いていない場合は、{ $brand }にお問い合わせください。

## The consent block
consent-heading = { $brand }からSMSを受け取る
consent-country = 国
consent-phone = 携帯電話番号
consent-phone-example = 例：{ $example }
consent-points = 登録すると{ $count }ポイントがもらえます。
consent-which-number = どの番号でSMSを受け取りますか？
consent-order-number = ご注文時の番号（{ $masked }）
consent-other-number = 別の番号（下に入力してください）
consent-submit = SMS配信に登録する
consent-sending = 登録しています…
consent-preview-note = プレビュー：このコピーからは何も送信されません。
consent-sandbox-note = サンドボックス：この登録はTracklightのサンドボックスに送られます。SMSは送信されません。
consent-provider-form = SMS配信に登録する
consent-provider-sandbox-note = サンドボックス：これはストア独自の登録フォームの代わりにサンドボックスが表示しているものです。SMSは送信されません。
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = はい、{ $brand }から自動送信される定期的なマーケティング用テキストメッセージを、上記の番号に送信してください。
disclosure-not-a-condition = 同意は購入の条件ではありません。
disclosure-frequency = メッセージの配信頻度は変動します。
disclosure-rates = メッセージ料金およびデータ通信料がかかる場合があります。
disclosure-help-stop = ヘルプが必要な場合は「HELP」、配信を停止する場合は「STOP」と返信してください。
disclosure-links = 当社の{ $terms }および{ $privacy }をご覧ください。
disclosure-terms = 利用規約
disclosure-privacy = プライバシーポリシー
done-title = SMS配信に登録されました
done-text = { $phone }にSMSをお送りします。配信を停止するには、いつでも「STOP」と返信してください。
done-confirm-title = 携帯電話で登録を確認してください
done-confirm-text = 確認のため、{ $phone }にSMSをお送りしました。そのSMSに返信すると配信が始まります。配信を停止するには、いつでも「STOP」と返信してください。

## Errors the consent block shows
error-rate-limited = 短時間に試行回数が多すぎます。数分お待ちください。
error-not-found = この追跡リンクは無効になりました。
error-unavailable = サービスが混み合っています。しばらくしてからもう一度お試しください。
error-internal = こちら側で問題が発生しました。もう一度お試しください。
error-consent-unticked = SMSの受信に同意するには、チェックボックスにチェックを入れてください。
error-country = リストから国を選択してください。
error-form-expired = このフォームの有効期限が切れました。ページを再読み込みして、もう一度お試しください。
error-text-changed = このページの読み込み後に登録の文面が変更されました。ページを再読み込みし、文面をもう一度お読みのうえ、再度送信してください。
error-provider-form = このストアでは、独自のフォームでSMS配信の登録を受け付けています。ページを再読み込みすると表示されます。
error-not-available = 現在、このストアではSMS配信の登録をご利用いただけません。
error-not-for-order = このご注文ではSMS配信の登録をご利用いただけません。
error-no-order-phone = ご注文に携帯電話番号が登録されていません。番号を入力してください。
error-two-phones = この追跡リンクではすでに2つの番号が登録されています。番号を変更するには、ストアにお問い合わせください。
error-country-not-kept = このストアでは、{ $country }の電話番号でのSMS配信の登録を受け付けることができません。
error-countries-none = 現在、このストアではSMS配信の登録を受け付けていません。
error-countries-one = このストアでは、{ $country }の電話番号でのSMS配信の登録のみ受け付けています。
error-countries-many = このストアでは、次の国の電話番号でのSMS配信の登録のみ受け付けています：{ $countries }。
phone-empty = 携帯電話番号を入力してください。
phone-too-short = この番号は短すぎます。
phone-too-long = この番号は長すぎます。
phone-unreadable = この番号を読み取れませんでした。番号をご確認いただくか、国を選択してください。
phone-invalid-for = { $country }の番号として有効ではありません。番号をご確認いただくか、国を選択してください。
phone-landline = 固定電話の番号のようです。SMSを受信できる携帯電話番号を入力してください。
phone-toll-free = これは通話料無料の番号のため、SMSを受信できません。携帯電話番号を入力してください。
phone-premium-rate = これは有料情報サービスの番号のため、SMSを受信できません。携帯電話番号を入力してください。
phone-shared-cost = これは通話料分担型の番号のため、SMSを受信できません。携帯電話番号を入力してください。
phone-uan = これは企業の代表番号のため、SMSを受信できません。携帯電話番号を入力してください。
phone-voicemail = これは留守番電話サービスの番号のため、SMSを受信できません。携帯電話番号を入力してください。
phone-pager = これはポケットベルの番号のため、SMSを受信できません。携帯電話番号を入力してください。
phone-not-mobile = この番号はSMSを受信できません。携帯電話番号を入力してください。

## The store's order look-up ("Track your order")
lookup-title = ご注文の配送状況を確認
lookup-page-title = ご注文の配送状況を確認 · { $brand }
lookup-page-title-error = 入力内容を確認して、もう一度お試しください：ご注文の配送状況を確認 · { $brand }
lookup-intro-email = 注文番号と、注文確認メールに記載のメールアドレスを入力してください。
lookup-intro-postcode = 注文番号と、注文確認メールに記載のお届け先の郵便番号を入力してください。
lookup-order = 注文番号
lookup-email = メールアドレス
lookup-postcode = 郵便番号
lookup-submit = 注文を検索
lookup-unavailable = 現在、注文の検索はご利用いただけません
lookup-error-order = 注文確認メールに記載の注文番号を入力してください。
lookup-error-email = ご注文時のメールアドレスを入力してください（例：ana@example.com）。
lookup-error-postcode = お届け先住所の郵便番号を入力してください（例：10115、SW1A 1AA）。
lookup-no-match-email = その注文番号とメールアドレスに一致する注文が見つかりませんでした。注文確認メールと照らし合わせて、両方をご確認ください。
lookup-no-match-postcode = その注文番号とお届け先の郵便番号に一致する注文が見つかりませんでした。注文確認メールと照らし合わせて、両方をご確認ください。
lookup-not-shipped = ご注文は見つかりましたが、まだ発送されていません。発送されると、ここに配送状況が表示されます。

## Photos of a delivered order
photos-title = ご注文の商品の写真を共有
photos-intro = 届いたときの様子を見せてください。写真はすべて{ $brand }が確認してから掲載されます。
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
   *[other] { $brand }が写真を承認すると{ $count }ポイントがもらえます。
}
photos-files = 写真または短い動画
photos-files-hint = JPEG、PNG、WebP形式の写真（1枚あたり{ $image_mb }MBまで）、またはMP4形式の動画（{ $video_mb }MB・{ $seconds }秒まで）を選べます。一度に選べるのは{ $count }ファイルまでです。
photos-caption = キャプション（任意）
photos-submit = 共有する
photos-uploading = アップロードしています…{ $percent }%
photos-sent = ありがとうございました。共有いただいた内容は、{ $brand }が確認してから掲載されます。
photos-again = 別の写真を共有する
photos-back = 配送状況のページに戻る
photos-error-none = 写真または動画を1つ以上選んでください。
photos-error-type = このファイルは受け付けられる写真・動画ではありません。JPEG、PNG、WebP形式の写真か、MP4形式の動画を選んでください。
photos-error-heic = HEIC形式の写真は、ここではまだ読み込めません。カメラの設定で「互換性優先」（JPEG）を選ぶか、写真のスクリーンショットを共有してください。
photos-error-damaged = このファイルは破損しているか、不完全なようです。もう一度選び直すか、別のファイルを選んでください。
photos-error-too-big = ファイルが大きすぎます。写真は{ $image_mb }MBまで、動画は{ $video_mb }MBまでです。
photos-error-too-large = この写真は画素数が多すぎます。{ $megapixels }メガピクセルまでです。
photos-error-too-long = この動画は長すぎます。{ $seconds }秒までです。
photos-error-too-many = 一度に選べるファイルは{ $count }個までです。
photos-error-caption = キャプションが長すぎます。{ $count }文字までです。
photos-error-limit = このご注文には、これ以上写真を追加できません。
photos-error-busy = ただいまアップロードが混み合っています。しばらくしてからもう一度お試しください。
photos-error-failed = アップロードが完了しませんでした。接続を確認して、もう一度お試しください。
photos-error-unavailable = このご注文では写真を共有できません。
