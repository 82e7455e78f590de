import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Kijkwijzer vakdidactiek: every version, oldest first. Draft content in our own words, subject
 * agnostic: the explanation of subject content, misconceptions, subject language and subject-specific
 * tasks. Never edit a published version: add a new one with `version + 1`.
 */
export const versions = [
  {
    id: 'kijkwijzer-vakdidactiek',
    version: 1,
    kind: 'kijkwijzer',
    kijkwijzerType: 'vakdidactiek',
    title: 'Kijkwijzer vakdidactiek',
    article: 'de',
    nameInSentence: 'kijkwijzer vakdidactiek',
    intro:
      'Met deze kijkwijzer kijkt u als vakcollega naar hoe de student het vak overbrengt: de vakinhoudelijke uitleg, het omgaan met misconcepties, de vaktaal en de opdrachten. De onderdelen gelden voor elk vak; vul ze in met de blik van uw eigen vak. Geef per onderdeel een score; kies "niet gezien" als iets in deze les niet aan bod kwam. Sluit af met feedback, feed-up en feedforward.',
    draftContent: true,
    basis:
      'De onderdelen zijn in eigen woorden opgesteld op basis van algemene vakdidactische aandachtspunten (vakinhoudelijke uitleg, misconcepties, vaktaal en vakspecifieke opdrachten), in aanvulling op het openbare observatie-instrument ICALT (Van de Grift).',
    sections: [
      {
        code: 'UITLEG',
        title: 'Vakinhoudelijke uitleg',
        items: [
          {
            code: 'VAK-1',
            label: 'Beheerst de vakinhoud van de les',
            help: 'Legt begrippen en verbanden correct uit en beantwoordt inhoudelijke vragen van leerlingen juist.',
            type: 'scale',
            required: true,
          },
          {
            code: 'VAK-2',
            label: 'Kiest passende voorbeelden en voorstellingen',
            help: "Gebruikt voorbeelden, schema's, modellen, demonstraties of bronnen die het begrip ondersteunen en aansluiten bij de leefwereld van leerlingen.",
            type: 'scale',
            required: true,
          },
          {
            code: 'VAK-3',
            label: 'Sluit aan bij de voorkennis van leerlingen',
            help: 'Haalt op wat leerlingen al weten en legt verbanden met eerdere lessen of andere vakken.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'MISCONCEPTIES',
        title: 'Misconcepties',
        items: [
          {
            code: 'VAK-4',
            label: 'Herkent misconcepties en gaat er goed mee om',
            help: 'Speelt in op bekende denkfouten in het vak, vraagt door bij een onjuist antwoord en gebruikt dat om het juiste begrip op te bouwen.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'VAKTAAL',
        title: 'Vaktaal',
        items: [
          {
            code: 'VAK-5',
            label: 'Gebruikt vaktaal correct en leert leerlingen die te gebruiken',
            help: 'Introduceert vakbegrippen expliciet, gebruikt ze consequent en laat leerlingen ze zelf gebruiken in spreken en schrijven.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'TAKEN',
        title: 'Vakspecifieke opdrachten',
        items: [
          {
            code: 'VAK-6',
            label: 'Geeft opdrachten die passen bij het denken en werken in het vak',
            help: 'Opdrachten vragen om vakspecifieke vaardigheden, zoals redeneren, onderzoeken, interpreteren of toepassen, en niet alleen om het herhalen van kennis.',
            type: 'scale',
            required: true,
          },
          {
            code: 'VAK-7',
            label: 'Gaat na of het vakinhoudelijke doel is bereikt',
            help: 'Controleert met een vraag, opdracht of korte check of leerlingen de stof begrijpen en past de uitleg zo nodig aan.',
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
