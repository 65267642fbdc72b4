//! Server functions, one area per file. Every one has an explicit, stable endpoint under
//! `/api/fn/` so the embed, CSP rules, tests and logs can name it.

pub mod account;
pub mod consent;
pub mod lookup;
pub mod photos;
pub mod settings;
pub mod tracking;

pub use account::{SignIn, SignOut, SignUp};
pub use consent::{sms_status, sms_subscribe, SmsStatus, SubscribeSms};
pub use lookup::{lookup_page, order_lookup, LookupPageFn, OrderLookup};
pub use photos::{
    moderate_photo, photo_grid, save_photos, GetPhotoGrid, ModeratePhoto, SavePhotos,
};
pub use settings::{
    consent_log, consent_preview, get_settings, klaviyo_lists, signup_forms, ChooseProvider,
    ConsentPreview, CreateKey, EraseSubject, GetConsentLog, GetSettings, GetSignupForms,
    KlaviyoLists, RetryConsent, RetryEvents, RevokeKey, SaveBrand, SaveEmbed, SaveGuards,
    SaveIngest, SaveKlaviyo, SaveLanguages, SaveLoyalty, SaveMilestones, SaveSignupForm, SaveSms,
    TestConnection, UseKlaviyoSandbox, UseLoyaltySandbox, UseSandbox,
};
pub use tracking::{tracking_view, TrackingViewFn};
