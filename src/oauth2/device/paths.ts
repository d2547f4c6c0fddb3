// The pages of the device flow (RFC 8628 section 3.3), in the order the user meets them.

/** Where the user types the code: the verification_uri the device shows. */
export const ENTRY_PATH = '/device';
/** Sign-in, then allow or deny, for the code the browser typed (carried in a ticket). */
export const CONFIRM_PATH = '/device/confirm';
/** The outcome; the device learns it by polling the token endpoint. */
export const DONE_PATH = '/device/done';
