import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Feedback on experiment WPP9 ("Improviseren"): every version, oldest first.
 * The date of the lesson, a few scale items on the aim of the experiment (in our own words), then
 * feedback, feed-up and feedforward. Never edit a published version: add a new one with `version + 1`.
 */
export const versions = [
  {
    id: 'experiment-wpp9',
    version: 1,
    kind: 'experiment',
    title: 'Feedback op experiment WPP9: Improviseren',
    article: 'de',
    nameInSentence: 'feedback op experiment WPP9 (Improviseren)',
    intro:
      'In het experiment WPP9 ‘Improviseren’ probeert de student in een les iets nieuws uit. Met dit formulier geeft u feedback op dat experiment: u kijkt hoe de student inspeelt op wat er onverwacht in de les gebeurt. Geef per onderdeel een score; kies "niet gezien" als iets in deze les niet aan bod kwam. Sluit af met feedback, feed-up en feedforward.',
    draftContent: true,
    basis:
      'De onderdelen zijn in eigen woorden opgesteld op basis van het doel van het experiment (improviseren), met de vierpuntsschaal van het openbare observatie-instrument ICALT (Van de Grift).',
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
        title: 'Improviseren',
        items: [
          {
            code: 'WPP9-1',
            label: 'Speelt in op wat er onverwacht gebeurt',
            help: 'Pakt een vraag, opmerking of gebeurtenis op en maakt er een leermoment van, in plaats van die te negeren.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP9-2',
            label: 'Past de lesplanning aan als dat nodig is',
            help: 'Merkt dat een onderdeel niet werkt of sneller gaat dan gepland en kiest bewust een andere aanpak of volgorde.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP9-3',
            label: 'Houdt het lesdoel vast tijdens het improviseren',
            help: 'De afwijking van het plan blijft in dienst van wat leerlingen moeten leren.',
            type: 'scale',
            required: true,
          },
          {
            code: 'WPP9-4',
            label: 'Blijft rustig en flexibel',
            help: 'Reageert ontspannen op het onverwachte en houdt de klas bij de les.',
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
