// The lab code's image source (src/labs/lab-images.ts) on top of `boxlab image bake`: a name is baked by
// the recipe whose image carries it (httpd:2.4 by "httpd"), into a docker-archive file the lab's sandbox
// then loads.
import { bakeImages, BAKE_RECIPES, recipeTags } from '../engine/images/bake/bake-service.js';
import type { LabImageSource } from '../labs/lab-images.js';

export const bakeImageSource: LabImageSource = {
  recipeFor: (image) => BAKE_RECIPES.find((r) => recipeTags(r).includes(image)),
  bake: async (recipes, file, progress) => {
    await bakeImages({ names: recipes, output: file, progress });
  },
};
