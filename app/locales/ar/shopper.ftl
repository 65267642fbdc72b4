# Tracklight: what shoppers read (the tracking page, the widget, the consent block, the order
# look-up), in Modern Standard Arabic. Every language is one file like this one,
# `locales/{tag}/shopper.ftl`, with every message below. `{ $name }` placeables are filled in
# by the server; keep them.
# HELP and STOP stay in capitals, untranslated: they are the keywords carriers act on.

## The language itself
# The language's own name, as the language switcher lists it.
language-name = العربية
language-switcher-label = اللغة
language-switcher-submit = تغيير

## Page chrome
tracking-by = التتبّع بواسطة Tracklight
sandbox-banner-title = وضع بيئة الاختبار
sandbox-banner-text = تذهب الاشتراكات في الرسائل النصية إلى بيئة الاختبار المدمجة في Tracklight. لا تُرسَل أي رسائل نصية.
page-title = { $status } · { $brand }
not-found-title = الصفحة غير موجودة
not-found-text = تعذّر علينا العثور على هذه الصفحة. يُرجى التحقق من الرابط الوارد في رسالة البريد الإلكتروني الخاصة بالشحن.
unavailable-title = التتبّع غير متاح حاليًا
unavailable-text = حدث خطأ من جهتنا. يُرجى المحاولة مرة أخرى بعد قليل.

## The shipment
greeting-named = مرحبًا { $name }، إليك طلبك رقم { $order }
greeting = الطلب رقم { $order }
refresh = تحديث
refresh-checking = جارٍ البحث عن تحديثات…
refresh-done = المعلومات محدَّثة.
refresh-failed = تعذّر البحث عن تحديثات. يُرجى المحاولة مرة أخرى بعد قليل.
shipping-to = الشحن إلى
carrier = شركة الشحن
tracking-number = رقم التتبّع
carrier-site-note = (على موقع شركة الشحن، يُفتح في علامة تبويب جديدة)
delivered-at = تم التسليم في { $when }
estimated-delivery = موعد التسليم المتوقع: { $date }
progress-label = تقدّم التسليم
progress-label-parcel = تقدّم تسليم الطرد { $n }
shipment-updates = تحديثات الشحنة
no-updates = لا توجد تحديثات من شركة الشحن بعد. تظهر التحديثات عادةً خلال يوم واحد من الشحن.
parcels-all-delivered = { $count ->
    [zero] تم تسليم جميع الطرود
    [one] تم تسليم طردك
    [two] تم تسليم الطردين كليهما
    [few] تم تسليم جميع الطرود ({ $count } طرود)
    [many] تم تسليم جميع الطرود ({ $count } طردًا)
   *[other] تم تسليم جميع الطرود ({ $count } طرد)
}
parcels-heading = يُشحن طلبك في طرود عددها { $count }
parcels-tally = تم تسليم { $delivered } من أصل { $count }
parcels-list = الطرود
parcel-of = الطرد { $n } من { $count }
parcel-updates = { $count ->
    [zero] التحديثات ({ $count })
    [one] التحديثات ({ $count })
    [two] التحديثات ({ $count })
    [few] التحديثات ({ $count })
    [many] التحديثات ({ $count })
   *[other] التحديثات ({ $count })
}

## Statuses
status-pending = تم استلام الطلب
status-info-received = تم إنشاء ملصق الشحن
status-in-transit = في الطريق
status-out-for-delivery = خرج للتسليم
status-attempt-fail = تمت محاولة التسليم
status-available-for-pickup = جاهز للاستلام
status-delivered = تم التسليم
status-exception = مشكلة في التسليم
status-expired = انتهت صلاحية التتبّع
step-ordered = تم الطلب
step-shipped = تم الشحن
step-in-transit = في الطريق
step-out-for-delivery = خرج للتسليم
step-delivered = تم التسليم
hint-attempt-fail = حاولت شركة الشحن تسليم طردك. يُرجى مراجعة آخر تحديث أدناه لمعرفة ما سيحدث بعد ذلك.
hint-available-for-pickup = طردك في انتظارك. يوضّح آخر تحديث أدناه مكان استلامه.
hint-exception = أبلغت شركة الشحن عن مشكلة في هذا التسليم. إذا لم تُحَلّ قريبًا، يُرجى التواصل مع { $brand }.
hint-expired = توقفت شركة الشحن عن تحديث هذه الشحنة. إذا لم يصل طردك، يُرجى التواصل مع { $brand }.

## The consent block
consent-heading = تلقّي رسائل نصية من { $brand }
consent-country = البلد
consent-phone = رقم الهاتف المحمول
consent-phone-example = مثال: { $example }
consent-points = { $count ->
    [zero] اشترك واحصل على نقاط الولاء.
    [one] اشترك واحصل على نقطة ولاء واحدة.
    [two] اشترك واحصل على نقطتَي ولاء.
    [few] اشترك واحصل على { $count } نقاط ولاء.
    [many] اشترك واحصل على { $count } نقطة ولاء.
   *[other] اشترك واحصل على { $count } نقطة ولاء.
}
consent-which-number = إلى أي رقم نرسل الرسائل النصية؟
consent-order-number = الرقم المسجّل في طلبي، { $masked }
consent-other-number = رقم آخر (يُرجى كتابته أدناه)
consent-submit = الاشتراك في الرسائل النصية
consent-sending = جارٍ تسجيل اشتراكك…
consent-preview-note = معاينة: لا تُرسل هذه النسخة أي شيء.
consent-sandbox-note = بيئة الاختبار: يذهب هذا الاشتراك إلى بيئة الاختبار في Tracklight؛ لا تُرسَل أي رسائل نصية.
consent-provider-form = الاشتراك في الرسائل النصية
consent-provider-sandbox-note = بيئة الاختبار: هذا بديل تعرضه بيئة الاختبار مكان نموذج الاشتراك الخاص بالمتجر؛ لا تُرسَل أي رسائل نصية.
# The disclosure next to the checkbox. Each sentence is one required element; all of them are
# shown, in this order, and recorded word for word with the consent.
disclosure-recurring = نعم، أرسلوا إليّ رسائل نصية تسويقية آلية ومتكررة من { $brand } على الرقم أعلاه.
disclosure-not-a-condition = الموافقة ليست شرطًا للشراء.
disclosure-frequency = يتفاوت معدل تكرار الرسائل.
disclosure-rates = قد تُطبَّق رسوم الرسائل والبيانات.
disclosure-help-stop = يمكنك الرد بكلمة HELP للحصول على المساعدة، وبكلمة STOP لإلغاء الاشتراك.
disclosure-links = يُرجى الاطلاع على { $terms } و{ $privacy } الخاصة بنا.
disclosure-terms = الشروط
disclosure-privacy = سياسة الخصوصية
done-title = تم اشتراكك في الرسائل النصية
done-text = سنرسل رسائل نصية إلى { $phone }. يمكنك الرد بكلمة STOP في أي وقت لإلغاء الاشتراك.
done-confirm-title = يُرجى تأكيد الاشتراك من هاتفك
done-confirm-text = أرسلنا رسالة نصية إلى { $phone } للتأكيد. يُرجى الرد على تلك الرسالة لبدء تلقّي الرسائل النصية؛ ويمكنك الرد بكلمة STOP في أي وقت لإلغاء الاشتراك.

## Errors the consent block shows
error-rate-limited = محاولات كثيرة جدًا خلال وقت قصير. يُرجى الانتظار بضع دقائق.
error-not-found = رابط التتبّع هذا لم يعد صالحًا.
error-unavailable = الخدمة مشغولة؛ يُرجى المحاولة مرة أخرى بعد قليل.
error-internal = حدث خطأ من جهتنا؛ يُرجى المحاولة مرة أخرى.
error-consent-unticked = يُرجى تحديد المربع للموافقة على تلقّي الرسائل النصية.
error-country = يُرجى اختيار بلدك من القائمة.
error-form-expired = انتهت صلاحية هذا النموذج. يُرجى إعادة تحميل الصفحة والمحاولة مرة أخرى.
error-text-changed = تغيّر نص الاشتراك منذ تحميل هذه الصفحة. يُرجى إعادة تحميل الصفحة وقراءة النص مرة أخرى ثم إعادة الإرسال.
error-provider-form = يقبل هذا المتجر الاشتراك في الرسائل النصية من خلال نموذجه الخاص. يُرجى إعادة تحميل الصفحة لعرضه.
error-not-available = الاشتراك في الرسائل النصية غير متاح لهذا المتجر حاليًا.
error-not-for-order = الاشتراك في الرسائل النصية غير متاح لهذا الطلب.
error-no-order-phone = لا يتضمن طلبك رقم هاتف محمول. يُرجى إدخال رقم.
error-two-phones = تم بالفعل تسجيل رقمين عبر رابط التتبّع هذا. لتغيير رقمك، يُرجى التواصل مع المتجر.
error-country-not-kept = لا يمكن لهذا المتجر قبول الاشتراك في الرسائل النصية للأرقام من { $country }.
error-countries-none = لا يقبل هذا المتجر الاشتراك في الرسائل النصية حاليًا.
error-countries-one = يقبل هذا المتجر الاشتراك في الرسائل النصية للأرقام من { $country } فقط.
error-countries-many = يقبل هذا المتجر الاشتراك في الرسائل النصية للأرقام من هذه البلدان فقط: { $countries }.
phone-empty = يُرجى إدخال رقم هاتفك المحمول.
phone-too-short = هذا الرقم قصير جدًا.
phone-too-long = هذا الرقم طويل جدًا.
phone-unreadable = تعذّر علينا قراءة هذا الرقم. يُرجى التحقق منه أو اختيار بلدك.
phone-invalid-for = هذا ليس رقمًا صالحًا في { $country }. يُرجى التحقق منه أو اختيار بلدك.
phone-landline = يبدو أن هذا رقم هاتف أرضي. يُرجى إدخال رقم هاتف محمول يمكنه استقبال الرسائل النصية.
phone-toll-free = هذا رقم مجاني لا يمكنه استقبال الرسائل النصية. يُرجى إدخال رقم هاتف محمول.
phone-premium-rate = هذا رقم بتعرفة مرتفعة لا يمكنه استقبال الرسائل النصية. يُرجى إدخال رقم هاتف محمول.
phone-shared-cost = هذا رقم بتكلفة مشتركة لا يمكنه استقبال الرسائل النصية. يُرجى إدخال رقم هاتف محمول.
phone-uan = هذا هو الرقم الموحّد لإحدى الشركات، ولا يمكنه استقبال الرسائل النصية. يُرجى إدخال رقم هاتف محمول.
phone-voicemail = هذا رقم بريد صوتي لا يمكنه استقبال الرسائل النصية. يُرجى إدخال رقم هاتف محمول.
phone-pager = هذا رقم جهاز نداء لا يمكنه استقبال الرسائل النصية. يُرجى إدخال رقم هاتف محمول.
phone-not-mobile = لا يمكن لهذا الرقم استقبال الرسائل النصية. يُرجى إدخال رقم هاتف محمول.

## The store's order look-up ("Track your order")
lookup-title = تتبّع طلبك
lookup-page-title = تتبّع طلبك · { $brand }
lookup-page-title-error = يُرجى التحقق والمحاولة مرة أخرى: تتبّع طلبك · { $brand }
lookup-intro-email = يُرجى إدخال رقم طلبك وعنوان البريد الإلكتروني الوارد في تأكيد الطلب.
lookup-intro-postcode = يُرجى إدخال رقم طلبك والرمز البريدي لعنوان الشحن الوارد في تأكيد الطلب.
lookup-order = رقم الطلب
lookup-email = عنوان البريد الإلكتروني
lookup-postcode = الرمز البريدي
lookup-submit = البحث عن طلبي
lookup-unavailable = البحث عن الطلبات غير متاح حاليًا
lookup-error-order = يُرجى إدخال رقم الطلب الوارد في تأكيد الطلب.
lookup-error-email = يُرجى إدخال عنوان البريد الإلكتروني الذي استخدمته في الطلب، مثل ana@example.com.
lookup-error-postcode = يُرجى إدخال الرمز البريدي لعنوان الشحن، مثل 10115 أو SW1A 1AA.
lookup-no-match-email = تعذّر علينا العثور على طلب بهذا الرقم وعنوان البريد الإلكتروني هذا. يُرجى مقارنة كليهما بتأكيد الطلب.
lookup-no-match-postcode = تعذّر علينا العثور على طلب بهذا الرقم وهذا الرمز البريدي للشحن. يُرجى مقارنة كليهما بتأكيد الطلب.
lookup-not-shipped = عثرنا على طلبك، لكنه لم يُشحن بعد. ستظهر معلومات تتبّعه هنا بعد شحنه.

## Photos of a delivered order
photos-title = شارِك صورة لطلبك
photos-intro = أرِنا كيف وصل طلبك. يراجع { $brand } كل صورة قبل أن تظهر في أي مكان.
# { $count }: the loyalty points the store gives for a photo it approves.
photos-points = { $count ->
    [zero] احصل على نقاط الولاء عندما يوافق { $brand } على صورتك.
    [one] احصل على نقطة ولاء واحدة عندما يوافق { $brand } على صورتك.
    [two] احصل على نقطتَي ولاء عندما يوافق { $brand } على صورتك.
    [few] احصل على { $count } نقاط ولاء عندما يوافق { $brand } على صورتك.
    [many] احصل على { $count } نقطة ولاء عندما يوافق { $brand } على صورتك.
   *[other] احصل على { $count } نقطة ولاء عندما يوافق { $brand } على صورتك.
}
photos-files = صور أو فيديو قصير
photos-files-hint = { $seconds ->
    [zero] صور بصيغة JPEG أو PNG أو WebP لا يتجاوز حجم كل منها { $image_mb } ميغابايت، أو فيديو بصيغة MP4 لا يتجاوز حجمه { $video_mb } ميغابايت ولا تتجاوز مدته { $seconds } ثانية؛ والحد الأقصى لعدد الملفات في المرة الواحدة { $count }.
    [one] صور بصيغة JPEG أو PNG أو WebP لا يتجاوز حجم كل منها { $image_mb } ميغابايت، أو فيديو بصيغة MP4 لا يتجاوز حجمه { $video_mb } ميغابايت ولا تتجاوز مدته ثانية واحدة؛ والحد الأقصى لعدد الملفات في المرة الواحدة { $count }.
    [two] صور بصيغة JPEG أو PNG أو WebP لا يتجاوز حجم كل منها { $image_mb } ميغابايت، أو فيديو بصيغة MP4 لا يتجاوز حجمه { $video_mb } ميغابايت ولا تتجاوز مدته ثانيتين؛ والحد الأقصى لعدد الملفات في المرة الواحدة { $count }.
    [few] صور بصيغة JPEG أو PNG أو WebP لا يتجاوز حجم كل منها { $image_mb } ميغابايت، أو فيديو بصيغة MP4 لا يتجاوز حجمه { $video_mb } ميغابايت ولا تتجاوز مدته { $seconds } ثوانٍ؛ والحد الأقصى لعدد الملفات في المرة الواحدة { $count }.
    [many] صور بصيغة JPEG أو PNG أو WebP لا يتجاوز حجم كل منها { $image_mb } ميغابايت، أو فيديو بصيغة MP4 لا يتجاوز حجمه { $video_mb } ميغابايت ولا تتجاوز مدته { $seconds } ثانية؛ والحد الأقصى لعدد الملفات في المرة الواحدة { $count }.
   *[other] صور بصيغة JPEG أو PNG أو WebP لا يتجاوز حجم كل منها { $image_mb } ميغابايت، أو فيديو بصيغة MP4 لا يتجاوز حجمه { $video_mb } ميغابايت ولا تتجاوز مدته { $seconds } ثانية؛ والحد الأقصى لعدد الملفات في المرة الواحدة { $count }.
}
photos-caption = تعليق (اختياري)
photos-submit = مشاركة
photos-uploading = جارٍ الرفع… { $percent }%
photos-sent = شكرًا لك! سيراجع { $brand } ما شاركته قبل أن يظهر في أي مكان.
photos-again = مشاركة صورة أخرى
photos-back = العودة إلى صفحة التتبّع
photos-error-none = يُرجى اختيار صورة أو فيديو واحد على الأقل.
photos-error-type = لا يمكننا قبول هذا الملف كصورة أو فيديو: يُرجى اختيار صورة بصيغة JPEG أو PNG أو WebP أو فيديو بصيغة MP4.
photos-error-heic = لا يمكن قراءة صور HEIC هنا بعد: يُرجى اختيار «الأكثر توافقًا» (JPEG) في إعدادات الكاميرا، أو مشاركة لقطة شاشة للصورة.
photos-error-damaged = يبدو أن هذا الملف تالف أو غير مكتمل: يُرجى اختياره مرة أخرى أو اختيار ملف آخر.
photos-error-too-big = هذا الملف كبير جدًا: الحد الأقصى للصور { $image_mb } ميغابايت، وللفيديو { $video_mb } ميغابايت.
photos-error-too-large = عدد البكسلات في هذه الصورة كبير جدًا: الحد الأقصى { $megapixels } ميغابكسل.
photos-error-too-long = { $seconds ->
    [zero] هذا الفيديو طويل جدًا: الحد الأقصى { $seconds } ثانية.
    [one] هذا الفيديو طويل جدًا: الحد الأقصى ثانية واحدة.
    [two] هذا الفيديو طويل جدًا: الحد الأقصى ثانيتان.
    [few] هذا الفيديو طويل جدًا: الحد الأقصى { $seconds } ثوانٍ.
    [many] هذا الفيديو طويل جدًا: الحد الأقصى { $seconds } ثانية.
   *[other] هذا الفيديو طويل جدًا: الحد الأقصى { $seconds } ثانية.
}
photos-error-too-many = { $count ->
    [zero] يُرجى اختيار { $count } ملف كحد أقصى في المرة الواحدة.
    [one] يُرجى اختيار ملف واحد كحد أقصى في المرة الواحدة.
    [two] يُرجى اختيار ملفين كحد أقصى في المرة الواحدة.
    [few] يُرجى اختيار { $count } ملفات كحد أقصى في المرة الواحدة.
    [many] يُرجى اختيار { $count } ملفًا كحد أقصى في المرة الواحدة.
   *[other] يُرجى اختيار { $count } ملف كحد أقصى في المرة الواحدة.
}
photos-error-caption = { $count ->
    [zero] التعليق طويل جدًا: الحد الأقصى { $count } حرف.
    [one] التعليق طويل جدًا: الحد الأقصى حرف واحد.
    [two] التعليق طويل جدًا: الحد الأقصى حرفان.
    [few] التعليق طويل جدًا: الحد الأقصى { $count } أحرف.
    [many] التعليق طويل جدًا: الحد الأقصى { $count } حرفًا.
   *[other] التعليق طويل جدًا: الحد الأقصى { $count } حرف.
}
photos-error-limit = لا يمكن إضافة المزيد من الصور إلى هذا الطلب.
photos-error-busy = عمليات رفع كثيرة جدًا في الوقت الحالي: يُرجى المحاولة مرة أخرى لاحقًا.
photos-error-failed = لم يكتمل الرفع: يُرجى التحقق من اتصالك والمحاولة مرة أخرى.
photos-error-unavailable = لا يمكن مشاركة الصور لهذا الطلب.
