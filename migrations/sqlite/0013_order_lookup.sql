-- The order look-up: shoppers without a tracking link find their order by its number and
-- the email address or the shipping postcode of the order (the merchant chooses which).
-- The postcode is kept as the platform sent it; look-ups compare it without case or spacing.
ALTER TABLE orders ADD COLUMN shipping_postcode TEXT;
ALTER TABLE merchants ADD COLUMN lookup_proof TEXT NOT NULL DEFAULT 'email';
-- The sign-up cap counts an order's consents (every parcel's link shows the order's one
-- sign-up).
CREATE INDEX consents_by_shipment ON consents (shipment_id);
