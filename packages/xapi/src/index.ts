export { aboutResource, type About } from './about.js';
export {
  isSupportedVersion,
  isVersion1,
  SUPPORTED_VERSIONS,
  VERSION_HEADER,
  type XapiVersion,
} from './versions.js';
