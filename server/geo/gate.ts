/**
 * Geolocation: the client's country from its IP address, looked up in a country database shipped
 * in an npm package (no download at run time), and the deployment's rule on it. Enforced at
 * registration, login and deposits (server/http/routes.ts) and at every room join (rooms/auth.ts),
 * on the address as TRUST_PROXY allows it to be read (the nearest untrusted X-Forwarded-For hop).
 *
 * Database: `@ip-location-db/geo-whois-asn-country-mmdb` (the package CC0-1.0; its data from the
 * regional internet registries' WHOIS and ASN records, CC BY 4.0 by the NRO), read with the
 * `maxmind` MMDB reader; GEO_DATABASE may name another MMDB with a `country_code` or GeoIP2
 * `country.iso_code` field. Addresses it does not know (private, loopback) follow GEO_UNKNOWN.
 */
import { createRequire } from 'node:module';
import maxmind, { type Reader, type Response } from 'maxmind';
import { AppError } from '../errors.ts';

export interface GeoConfig {
  /** ISO 3166-1 alpha-2 codes allowed (empty: every country not blocked). */
  allowedCountries: string[];
  blockedCountries: string[];
  /** An address with no country in the database (private, loopback, unallocated). */
  unknown: 'allow' | 'block';
  /** Another MMDB file; null: the packaged one. */
  databasePath: string | null;
  /** Load the database even with no rule, to record players' countries for promotions (GEO_RECORD_COUNTRY). */
  recordCountry?: boolean;
}

type CountryRecord = { country_code?: string; country?: { iso_code?: string } };

export const PACKAGED_DATABASE = '@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb';

/** Why a country is refused by the rule, or null when it is allowed (pure). */
export function geoRefusal(cfg: GeoConfig, country: string | null): string | null {
  if (country === null) return cfg.unknown === 'block' ? 'the country of this address is unknown' : null;
  if (cfg.blockedCountries.includes(country)) return `play from ${country} is not permitted`;
  if (cfg.allowedCountries.length > 0 && !cfg.allowedCountries.includes(country)) return `play from ${country} is not permitted`;
  return null;
}

export class GeoGate {
  private constructor(
    private readonly cfg: GeoConfig,
    private readonly reader: Reader<Response> | null,
  ) {}

  /** Whether the deployment has any rule (without one the database is not even loaded). */
  static hasRules(cfg: GeoConfig): boolean {
    return cfg.allowedCountries.length > 0 || cfg.blockedCountries.length > 0 || cfg.unknown === 'block';
  }

  static async open(cfg: GeoConfig): Promise<GeoGate> {
    if (!GeoGate.hasRules(cfg) && !cfg.recordCountry) return new GeoGate(cfg, null);
    const file = cfg.databasePath ?? createRequire(import.meta.url).resolve(PACKAGED_DATABASE);
    // The whole file is read once into memory (~8 MB); lookups are then synchronous.
    return new GeoGate(cfg, await maxmind.open<Response>(file, { watchForUpdates: false }));
  }

  get enabled(): boolean {
    return this.reader !== null;
  }

  /** The address's ISO country code, or null when unknown (or not an IP address). */
  countryOf(ip: string): string | null {
    if (!this.reader) return null;
    const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
    if (!maxmind.validate(address)) return null;
    const rec = this.reader.get(address) as CountryRecord | null;
    return rec?.country_code ?? rec?.country?.iso_code ?? null;
  }

  /** Throws `geo/blocked` (403) when the deployment's rule refuses the address's country. */
  check(ip: string): void {
    if (!this.reader) return;
    const country = this.countryOf(ip);
    const refusal = geoRefusal(this.cfg, country);
    if (refusal) throw new AppError('geo/blocked', refusal, 403, { country });
  }
}
