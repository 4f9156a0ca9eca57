import { EnvironmentStateReader } from '../policy/ports';
import { ImageService } from '../images/ImageService';

/**
 * Adapts the image service (registry client + the application's image
 * repository) to the policy's `getImageFacts` port.
 *
 * @internal
 */
export function createImageFactsReader(
  images: Pick<ImageService, 'imageFacts'>,
): Required<Pick<EnvironmentStateReader, 'getImageFacts'>> {
  return {
    getImageFacts: (entity, environment, tags) =>
      images.imageFacts(entity, environment, tags),
  };
}
