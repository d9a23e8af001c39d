export { seededRandom, type SeededRandom } from '../../core/random.js';
