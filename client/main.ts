/**
 * Entry point: loads the page styles and mounts Root into #wall, which picks the page (the
 * wall, sign-in, or administration) by the address's path.
 */
import { mount } from 'svelte';
import Root from './Root.svelte';
import './wall.css';

const target = document.getElementById('wall');
if (!target) throw new Error('index.html has no #wall element');
mount(Root, { target });
