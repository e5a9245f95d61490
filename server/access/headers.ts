/**
 * Security headers for every answer (@fastify/helmet), with a Content-Security-Policy the map
 * works under: scripts and workers only from this origin (MapLibre's worker is a file of the
 * build), no inline scripts, styles inline allowed (MapLibre and Svelte set element styles),
 * images from data:/blob: URLs (MapLibre's sprites and canvases). A basemap style from another
 * origin adds that origin for fetching and images. The API reference (/docs) sets its own
 * policy (swagger-ui's staticCSP).
 */
import type { FastifyHelmetOptions } from '@fastify/helmet';
import type { Config } from '../config.ts';

function basemapOrigins(config: Config): string[] {
  const style = config.basemapStyle;
  return style && URL.canParse(style) ? [new URL(style).origin] : [];
}

export function helmetOptions(config: Config): FastifyHelmetOptions {
  const external = basemapOrigins(config);
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...external],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ...external],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The wall may load a basemap's tiles from another origin.
    crossOriginEmbedderPolicy: false,
    // Served over plain HTTP inside a command center's network: no HSTS unless a proxy adds it.
    strictTransportSecurity: false,
  };
}
