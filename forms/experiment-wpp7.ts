import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Feedback on experiment WPP7 ("Nieuwsgierig maken en houden"): every version, oldest first.
 * The date of the lesson, a few scale items on the aim of the experiment (in our own words), then
 * feedback, feed-up and feedforward. Never edit a published version: add a new one with `version + 1`.
 */
export const versions = [
  {
    id: 'experiment-wpp7',
    version: 1,
    kind: 'experiment',
    title: 'Feedback op experiment WPP7: Nieuwsgierig maken en houden',
    article: 'de',
    nameInSentence: 'feedback op experiment WPP7 (Nieuwsgierig maken en houden)',
    intro:
      'In het experiment WPP7 ‘Nieuwsgierig maken en houden’ probeert de student in een les iets nieuws uit. Met dit formulier geeft u feedback op dat experiment: u kijkt of de student de nieuwsgierigheid van leerlingen weet te wekken en vast te houden. Geef per onderdeel een score; kies "niet gezien" als iets in deze les niet aan bod kwam. Sluit af met feedback, feed-up en feedforward.',
    draftContent: true,
    basis:
      'De onderdelen zijn in eigen woorden opgesteld op basis van het doel van het experiment (nieuwsgierig maken en houden), met de vierpuntsschaal van het openbare observatie-instrument ICALT (Van de Grift).',
    sections: [
      {
        code: 'LES',
        title: 'De les',
        items: [
          {
            code: 'LESDATUM',
            label: 'Lesdatum',
            help: 'De datum van de les waarin de student het experiment uitvoerde.',
            type: 'date',
            required: true,
          },
        ],
      },
      {
        code: 'DOEL',
        title: 'Nieuwsgierig maken en houden',
        items: [
          {
            code: 'WPP7-1',
            label: 'Wekt aan het begin van de les nieuwsgierigheid',
            help: 'Start met een prikkelende vraag, een raadsel, een voorwerp, een beeld of een verrassende bewering die leerlingen aan het denken zet.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP7-2',
            label: 'Houdt de nieuwsgierigheid vast tijdens de les',
            help: 'Bouwt spanning op, laat leerlingen voorspellen of vermoedens uitspreken en komt terug op de beginvraag.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP7-3',
            label: 'Geeft ruimte aan vragen van leerlingen',
            help: 'Nodigt leerlingen uit zelf vragen te stellen en gaat daar serieus op in.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP7-4',
            label: 'Leerlingen raken zichtbaar betrokken',
            help: 'Leerlingen reageren, denken mee, stellen vragen of willen verder met het onderwerp.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'TERUGKOPPELING',
        title: 'Terugkoppeling aan de student',
        help: 'Schrijf concreet en in gewone taal; de student gebruikt uw terugkoppeling bij het terugblikken op het experiment.',
        items: [
          {
            code: 'FEEDBACK',
            label: 'Feedback',
            help: 'Hoe ging het? Beschrijf wat u zag en welk effect dat had op de leerlingen.',
            type: 'text',
            required: true,
          },
          {
            code: 'FEEDUP',
            label: 'Feed-up',
            help: 'Waar werkt de student naartoe? Noem wat de student met dit experiment wil leren.',
            type: 'text',
            required: true,
          },
          {
            code: 'FEEDFORWARD',
            label: 'Feedforward',
            help: 'Wat is de volgende stap? Geef een concrete tip voor een volgende keer.',
            type: 'text',
            required: true,
          },
        ],
      },
    ],
  },
] satisfies FormDefinitionInput[];
