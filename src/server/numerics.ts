// Numerics the server needs that src/protocol/numerics.ts does not have (yet) with this meaning.
// Reported to the lead; once src/protocol has them, import from there and delete this file.

/**
 * Reply to INVITE with no parameters: one per room the user is invited to, then the end marker.
 * modern.ircdocs.horse#rplinvitelist-336 / #rplendofinvitelist-337. (src/protocol names 346/347
 * RPL_INVITELIST/RPL_ENDOFINVITELIST, which is RFC 2812's channel invite-exception list, +I.)
 */
export const RPL_INVITELIST = '336';
export const RPL_ENDOFINVITELIST = '337';
