export { addSums, negateSums, ZERO_SUMS, type SkillDaySums } from './skill-day-sums.js';
