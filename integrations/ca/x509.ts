// @peculiar/x509 (via tsyringe) needs a Reflect metadata polyfill loaded before it is evaluated.
// Import x509 through this module only, so the polyfill is always first.
import 'reflect-metadata';

export * from '@peculiar/x509';
