-- Yotpo's own SMS sign-up form, shown in place of Tracklight's checkbox when set: the
-- address of its script (checked to be one of Yotpo's form scripts when saved).
ALTER TABLE merchants ADD COLUMN sms_form_script TEXT;
