/**
 * Entry point of the wall: points MapLibre at its bundled worker (Vite serves it as an asset,
 * so nothing is fetched from a CDN), loads the styles and mounts App into #wall.
 */
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { mount } from 'svelte';
import App from './App.svelte';
import './wall.css';

maplibregl.setWorkerUrl(workerUrl);

const target = document.getElementById('wall');
if (!target) throw new Error('index.html has no #wall element');
mount(App, { target });
