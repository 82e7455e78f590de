import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Kijkwijzer didactiek: every version, oldest first. Draft content in our own words on the ICALT
 * domains clear instruction, activating teaching, differentiation and teaching learning strategies.
 * Never edit a published version: add a new one with `version + 1`.
 */
export const versions = [
  {
    id: 'kijkwijzer-didactiek',
    version: 1,
    kind: 'kijkwijzer',
    kijkwijzerType: 'didactiek',
    title: 'Kijkwijzer didactiek',
    article: 'de',
    nameInSentence: 'kijkwijzer didactiek',
    intro:
      'Met deze kijkwijzer kijkt u naar hoe de student lesgeeft: de uitleg, het activeren van leerlingen, het afstemmen op verschillen en het aanleren van leerstrategieën. Geef per onderdeel een score; kies "niet gezien" als iets in deze les niet aan bod kwam. Sluit af met feedback, feed-up en feedforward.',
    draftContent: true,
    basis:
      'De onderdelen zijn in eigen woorden opgesteld op basis van de domeinen "duidelijke instructie", "activerende les", "differentiatie" en "leerstrategieën" van het openbare observatie-instrument ICALT (Van de Grift).',
    sections: [
      {
        code: 'INSTRUCTIE',
        title: 'Duidelijke instructie',
        items: [
          {
            code: 'DID-1',
            label: 'Maakt doel en opbouw van de les duidelijk',
            help: 'Vertelt aan het begin wat leerlingen gaan leren, laat zien hoe de les is opgebouwd en komt aan het eind terug op het doel.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DID-2',
            label: 'Legt de leerstof helder en gestructureerd uit',
            help: 'Bouwt de uitleg stap voor stap op, gebruikt voorbeelden en gaat na of leerlingen het begrijpen.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DID-3',
            label: 'Geeft duidelijke opdrachten',
            help: 'Leerlingen weten wat ze moeten doen, hoeveel tijd ze hebben en wat ze met het resultaat doen.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'ACTIVEREN',
        title: 'Activerend lesgeven',
        items: [
          {
            code: 'DID-4',
            label: 'Zet leerlingen aan tot actief meedoen en nadenken',
            help: 'Stelt open vragen, geeft denktijd en laat leerlingen overleggen, samenwerken of iets uitproberen in plaats van alleen te luisteren.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DID-5',
            label: 'Betrekt alle leerlingen bij de les',
            help: 'Beurten gaan niet alleen naar opgestoken vingers; ook stille leerlingen doen mee, bijvoorbeeld met wisbordjes of een beurtsysteem.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'DIFFERENTIATIE',
        title: 'Afstemmen op verschillen',
        items: [
          {
            code: 'DID-6',
            label: 'Stemt uitleg en verwerking af op verschillen tussen leerlingen',
            help: 'Geeft extra uitleg aan wie dat nodig heeft en extra uitdaging aan wie verder kan; loopt rond en ziet wie vastloopt.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'LEERSTRATEGIEEN',
        title: 'Leerstrategieën',
        items: [
          {
            code: 'DID-7',
            label: 'Leert leerlingen hoe ze een taak kunnen aanpakken',
            help: 'Doet hardop denkend voor hoe je een opdracht aanpakt en laat leerlingen hun eigen aanpak verwoorden en controleren.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DID-8',
            label: 'Laat leerlingen terugkijken op wat ze geleerd hebben',
            help: 'Sluit af met een samenvatting, vraag of korte check waarin leerlingen zelf benoemen wat ze nu kunnen.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'TERUGKOPPELING',
        title: 'Terugkoppeling aan de student',
        help: 'Schrijf concreet en in gewone taal; de student bespreekt uw terugkoppeling in het driehoeksgesprek.',
        items: [
          {
            code: 'GOED',
            label: 'Wat ging goed?',
            help: 'Noem één of twee concrete momenten uit de les.',
            type: 'text',
            required: false,
          },
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
            help: 'Waar werkt de student naartoe? Noem het doel of de leeruitkomst waaraan deze les bijdraagt.',
            type: 'text',
            required: true,
          },
          {
            code: 'FEEDFORWARD',
            label: 'Feedforward',
            help: 'Wat is de volgende stap? Geef een concrete tip of opdracht voor een volgende les.',
            type: 'text',
            required: true,
          },
        ],
      },
    ],
  },
] satisfies FormDefinitionInput[];
