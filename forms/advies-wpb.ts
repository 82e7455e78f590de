import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Advies van de werkplekbegeleider: every version, oldest first. The WPB's substantiated formative
 * advice to the SO and IO: an overall advice and its substantiation per area the student develops
 * in (pedagogiek, didactiek, vakdidactiek, professioneel handelen). Draft content in our own words.
 * Never edit a published version: add a new one with `version + 1`. Version 2 says who reads which
 * part and ends with a part for the SO and IO only, which the student does not read.
 */
export const versions = [
  {
    id: 'advies-wpb',
    version: 1,
    kind: 'advies',
    title: 'Advies van de werkplekbegeleider',
    article: 'het',
    nameInSentence: 'advies van de werkplekbegeleider',
    intro:
      'Met dit formulier geeft u uw onderbouwde advies over de ontwikkeling van de student aan de schoolopleider (SO) en de instituutsopleider (IO). Het is een formatief advies: het beschrijft waar de student nu staat en weegt zwaar mee in de eindbeoordeling. Onderbouw uw advies per gebied met voorbeelden uit de lessen en gesprekken van dit jaar.',
    draftContent: true,
    basis:
      'De vragen zijn in eigen woorden opgesteld op basis van de gebieden waarop de student zich tijdens werkplekleren N2 ontwikkelt: pedagogiek, (vak)didactiek en professioneel handelen.',
    sections: [
      {
        code: 'ADVIES',
        title: 'Uw advies',
        items: [
          {
            code: 'ADV-ADVIES',
            label: 'Advies over de ontwikkeling van de student',
            help: 'Kies het advies dat het best past bij wat u dit jaar van de student heeft gezien.',
            type: 'choice',
            required: true,
            options: [
              { value: 'positief', label: 'Positief: de student is op koers om N2 af te ronden' },
              { value: 'twijfel', label: 'Twijfel: de student laat op één of meer gebieden nog te weinig zien' },
              { value: 'negatief', label: 'Negatief: de student is niet op koers om N2 af te ronden' },
            ],
          },
        ],
      },
      {
        code: 'ONDERBOUWING',
        title: 'Onderbouwing per gebied',
        help: 'Beschrijf per gebied wat de student laat zien en waar nog groei nodig is, met concrete voorbeelden.',
        items: [
          {
            code: 'ADV-PED',
            label: 'Onderbouwing pedagogiek',
            help: 'Hoe gaat de student om met leerlingen, het klimaat in de klas en de orde in de les?',
            type: 'text',
            required: true,
          },
          {
            code: 'ADV-DID',
            label: 'Onderbouwing didactiek',
            help: 'Hoe legt de student uit, hoe activeert hij of zij leerlingen en hoe wordt ingespeeld op verschillen?',
            type: 'text',
            required: true,
          },
          {
            code: 'ADV-VAK',
            label: 'Onderbouwing vakdidactiek',
            help: 'Hoe brengt de student de vakinhoud over: uitleg, vaktaal, opdrachten en het omgaan met misconcepties?',
            type: 'text',
            required: true,
          },
          {
            code: 'ADV-PRO',
            label: 'Onderbouwing professioneel handelen',
            help: "Hoe neemt de student de regie over het eigen leerproces: voorbereiding, afspraken nakomen, om feedback vragen en die gebruiken, samenwerken met collega's?",
            type: 'text',
            required: true,
          },
        ],
      },
      {
        code: 'TOELICHTING',
        title: 'Toelichting',
        items: [
          {
            code: 'ADV-TOELICHTING',
            label: 'Toelichting voor de schoolopleider en instituutsopleider',
            help: 'Bijvoorbeeld wat de student in het eindgesprek nog kan laten zien, of een zorg die u wilt delen.',
            type: 'text',
            required: false,
          },
        ],
      },
    ],
  },
  {
    id: 'advies-wpb',
    version: 2,
    kind: 'advies',
    title: 'Advies van de werkplekbegeleider',
    article: 'het',
    nameInSentence: 'advies van de werkplekbegeleider',
    intro:
      'Met dit formulier geeft u uw onderbouwde advies over de ontwikkeling van de student aan de schoolopleider (SO) en de instituutsopleider (IO). Het is een formatief advies: het beschrijft waar de student nu staat en weegt zwaar mee in de eindbeoordeling. Onderbouw uw advies per gebied met voorbeelden uit de lessen en gesprekken van dit jaar. De student, de SO en de IO lezen uw advies, de onderbouwing en de toelichting. Het laatste deel is alleen voor de SO en IO: de student leest dat niet.',
    draftContent: true,
    basis:
      'De vragen zijn in eigen woorden opgesteld op basis van de gebieden waarop de student zich tijdens werkplekleren N2 ontwikkelt: pedagogiek, (vak)didactiek en professioneel handelen.',
    sections: [
      {
        code: 'ADVIES',
        title: 'Uw advies',
        items: [
          {
            code: 'ADV-ADVIES',
            label: 'Advies over de ontwikkeling van de student',
            help: 'Kies het advies dat het best past bij wat u dit jaar van de student heeft gezien.',
            type: 'choice',
            required: true,
            options: [
              { value: 'positief', label: 'Positief: de student is op koers om N2 af te ronden' },
              { value: 'twijfel', label: 'Twijfel: de student laat op één of meer gebieden nog te weinig zien' },
              { value: 'negatief', label: 'Negatief: de student is niet op koers om N2 af te ronden' },
            ],
          },
        ],
      },
      {
        code: 'ONDERBOUWING',
        title: 'Onderbouwing per gebied',
        help: 'Beschrijf per gebied wat de student laat zien en waar nog groei nodig is, met concrete voorbeelden.',
        items: [
          {
            code: 'ADV-PED',
            label: 'Onderbouwing pedagogiek',
            help: 'Hoe gaat de student om met leerlingen, het klimaat in de klas en de orde in de les?',
            type: 'text',
            required: true,
          },
          {
            code: 'ADV-DID',
            label: 'Onderbouwing didactiek',
            help: 'Hoe legt de student uit, hoe activeert hij of zij leerlingen en hoe wordt ingespeeld op verschillen?',
            type: 'text',
            required: true,
          },
          {
            code: 'ADV-VAK',
            label: 'Onderbouwing vakdidactiek',
            help: 'Hoe brengt de student de vakinhoud over: uitleg, vaktaal, opdrachten en het omgaan met misconcepties?',
            type: 'text',
            required: true,
          },
          {
            code: 'ADV-PRO',
            label: 'Onderbouwing professioneel handelen',
            help: "Hoe neemt de student de regie over het eigen leerproces: voorbereiding, afspraken nakomen, om feedback vragen en die gebruiken, samenwerken met collega's?",
            type: 'text',
            required: true,
          },
        ],
      },
      {
        code: 'TOELICHTING',
        title: 'Toelichting',
        items: [
          {
            code: 'ADV-TOELICHTING',
            label: 'Toelichting bij uw advies',
            help: 'Bijvoorbeeld wat de student in het eindgesprek nog kan laten zien. De student leest deze toelichting ook; wat alleen voor de SO en IO is, schrijft u in het laatste deel.',
            type: 'text',
            required: false,
          },
        ],
      },
      {
        code: 'VERTROUWELIJK',
        title: 'Alleen voor de schoolopleider en de instituutsopleider',
        readers: 'staff',
        items: [
          {
            code: 'ADV-VERTROUWELIJK',
            label: 'Alleen voor SO en IO: wat wilt u hen nog laten weten?',
            help: 'Bijvoorbeeld een zorg die u eerst met de SO en IO wilt bespreken. Dit deel staat niet op de pagina van de student, maar bijlagen leest de student wel: zet wat alleen voor de SO en IO is niet in een bijlage.',
            type: 'text',
            required: false,
          },
        ],
      },
    ],
  },
] satisfies FormDefinitionInput[];
