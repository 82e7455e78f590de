import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Feedback on experiment WPP10 ("Vertellen"): every version, oldest first.
 * The date of the lesson, a few scale items on the aim of the experiment (in our own words), then
 * feedback, feed-up and feedforward. Never edit a published version: add a new one with `version + 1`.
 */
export const versions = [
  {
    id: 'experiment-wpp10',
    version: 1,
    kind: 'experiment',
    title: 'Feedback op experiment WPP10: Vertellen',
    article: 'de',
    nameInSentence: 'feedback op experiment WPP10 (Vertellen)',
    intro:
      'In het experiment WPP10 ‘Vertellen’ probeert de student in een les iets nieuws uit. Met dit formulier geeft u feedback op dat experiment: u kijkt hoe de student een verhaal vertelt om de leerstof over te brengen. Geef per onderdeel een score; kies "niet gezien" als iets in deze les niet aan bod kwam. Sluit af met feedback, feed-up en feedforward.',
    draftContent: true,
    basis:
      'De onderdelen zijn in eigen woorden opgesteld op basis van het doel van het experiment (vertellen), met de vierpuntsschaal van het openbare observatie-instrument ICALT (Van de Grift).',
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
        title: 'Vertellen',
        items: [
          {
            code: 'WPP10-1',
            label: 'Vertelt boeiend en beeldend',
            help: 'Gebruikt een verhaal, anekdote of voorbeeld met concrete details die leerlingen voor zich zien.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP10-2',
            label: 'Zet stem, lichaamstaal en stiltes bewust in',
            help: 'Varieert in tempo, volume en intonatie, maakt oogcontact en gebruikt pauzes voor spanning of nadruk.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP10-3',
            label: 'Het verhaal ondersteunt de leerstof',
            help: 'Het verhaal maakt een begrip, gebeurtenis of verband duidelijk en de student legt de koppeling met de lesinhoud.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP10-4',
            label: 'Houdt de aandacht van de klas vast',
            help: 'Leerlingen luisteren, reageren of stellen vragen; de student let op de klas en betrekt leerlingen bij het verhaal.',
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
