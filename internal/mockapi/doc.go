// Package mockapi is a faithful, strict and controllable fake of the EZITXT WhatsApp Business
// Messaging API, for tests and offline use (the ezitxt-mock command serves it).
//
// A Server is an http.Handler that serves every endpoint of the reference under BasePath, in
// memory and safe for concurrent requests, and an admin API under AdminPrefix. It is strict the
// way the real service would be:
//
//   - Basic auth against the configured accounts (401 with WWW-Authenticate);
//   - every request is validated twice: first by the mock's own checks, which answer 400 with
//     one {field, code, description} entry per problem, then, when those pass, against
//     api/openapi.yaml (api.ValidateRequest), so the mock never accepts what the contract
//     forbids (Stats.SpecRejections counts such requests: it should stay 0);
//   - 415 for a wrong Content-Type, 413 for oversized bodies and media, 422 for sends and uploads
//     from sources not registered with POST /source and for NumberNotWhatsApp;
//   - the reference's security headers on every response, errors and admin included.
//
// Message status is derived from a clock the test controls (see ClockOptions, Server.Advance):
// accepted, then submitted, sent, received and read at OffsetSubmitted, OffsetSent,
// OffsetReceived and OffsetRead after acceptance or after the scheduled time; the Number
// constants end otherwise. Status changes are POSTed to the account's status callback URL.
//
// Tests inspect what reached the mock with Sends, Duplicates, Message, Requests and Stats, and
// inject trouble with SetFaults and SetRateLimit. See README.md beside this file for the user
// documentation.
package mockapi
